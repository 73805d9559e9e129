package io.streamify.rows;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;

/**
 * A typed row: a Java record whose components are a table's columns, and the Avro schema derived
 * from it, so that the record is the one definition of the table and a misspelt column fails at
 * compile time. Avro records (Parquet files, the warehouse loaders) are met only at the edges, by
 * {@link #toAvro} and {@link #fromAvro}.
 *
 * <p>The mapping, component by component and in their order:
 *
 * <ul>
 *   <li>name: camelCase becomes the column's snake_case ({@code rowActivation} → {@code
 *       row_activation});
 *   <li>{@code long}, {@code int}, {@code double}, {@code boolean}, {@code String} → Avro's long,
 *       int, double, boolean, string; their boxed types too;
 *   <li>{@link Column.Timestamp} on a {@code long}/{@code Long}: {@code timestamp-millis}; {@link
 *       Column.Date} on an {@code int}: {@code date};
 *   <li>{@link Column.Nullable}: a union of the type and {@code null}; without it a column is
 *       required and a {@code null} in it fails {@link #toAvro} with the column's name;
 *   <li>{@link Column.Doc}: the field's doc; {@link Column.DefaultLong}: its default.
 * </ul>
 *
 * Instances are serializable (a class name and a namespace) and safe to share between threads.
 */
public final class RowType<T extends Record> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final String namespace;
  private transient Derived<T> derived;

  private RowType(Class<T> type, String namespace) {
    this.type = type;
    this.namespace = namespace;
    this.derived = new Derived<>(type, namespace);
  }

  /**
   * The row type of {@code type}, whose Avro record is named {@code namespace.SimpleName}.
   *
   * @throws IllegalArgumentException a component of a type the mapping has no column for, or a
   *     primitive marked nullable
   */
  public static <T extends Record> RowType<T> of(Class<T> type, String namespace) {
    return new RowType<>(type, namespace);
  }

  public Class<T> type() {
    return type;
  }

  /** The Avro schema: one field per component, in their order. */
  public Schema schema() {
    return derived.schema;
  }

  /** The column names, in order. */
  public List<String> columns() {
    return derived.schema.getFields().stream().map(Schema.Field::name).toList();
  }

  /** The column name of a record component name: camelCase → snake_case. */
  public static String columnName(String component) {
    StringBuilder b = new StringBuilder();
    for (char c : component.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('_').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The row as an Avro record of {@link #schema()}.
   *
   * @throws NullPointerException a required column holds null (the message names it)
   */
  public GenericData.Record toAvro(T row) {
    Derived<T> d = derived;
    GenericData.Record r = new GenericData.Record(d.schema);
    for (int i = 0; i < d.components.length; i++) {
      Object v;
      try {
        v = d.components[i].getAccessor().invoke(row);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (v == null && !d.nullable[i]) {
        throw new NullPointerException(
            type.getSimpleName() + "." + d.schema.getFields().get(i).name() + " is required");
      }
      r.put(i, v);
    }
    return r;
  }

  /**
   * The row an Avro record holds, matched by column name, so a record of an older or wider schema
   * reads too: text of any {@link CharSequence} class becomes a String; a column the record lacks
   * reads as its default, or null where it may be null.
   *
   * @throws IllegalArgumentException a required column the record lacks or holds null in, or a
   *     column holding another type than the row's (the message names the column)
   */
  public T fromAvro(GenericRecord record) {
    Derived<T> d = derived;
    Object[] args = new Object[d.components.length];
    boolean sameSchema = record.getSchema() == d.schema || record.getSchema().equals(d.schema);
    for (int i = 0; i < args.length; i++) {
      Schema.Field f = d.schema.getFields().get(i);
      Object v;
      if (sameSchema) {
        v = record.get(i);
      } else {
        Schema.Field theirs = record.getSchema().getField(f.name());
        v = theirs == null ? f.defaultVal() : record.get(theirs.pos());
        if (v == JsonProperties.NULL_VALUE) {
          v = null;
        } else if (v instanceof Number n && d.components[i].getType() == long.class) {
          v = n.longValue(); // a default of a long column may read as an Integer
        }
      }
      if (v instanceof CharSequence text && !(v instanceof String)) {
        v = text.toString();
      }
      if (!sameSchema && v != null && !boxed(d.components[i].getType()).isInstance(v)) {
        throw new IllegalArgumentException(
            "a "
                + record.getSchema().getName()
                + " record's "
                + f.name()
                + " holds a "
                + v.getClass().getSimpleName()
                + " where "
                + type.getSimpleName()
                + " needs a "
                + boxed(d.components[i].getType()).getSimpleName());
      }
      if (v == null && !d.nullable[i]) {
        throw new IllegalArgumentException(
            "a "
                + record.getSchema().getName()
                + " record without "
                + f.name()
                + ", which "
                + type.getSimpleName()
                + " requires");
      }
      args[i] = v;
    }
    try {
      return d.constructor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Avro's sort order of the rows' records ({@link GenericData#compare}): field by field in their
   * order, text by UTF-8 bytes, a union's branches in their order. Stable across runs and runners,
   * so a choice of "the least row" never depends on input order. Serializable.
   */
  public Comparator<T> avroOrder() {
    return (Comparator<T> & Serializable)
        (a, b) -> GenericData.get().compare(toAvro(a), toAvro(b), derived.schema);
  }

  /** A Beam coder of the rows: their Avro binary form. Deterministic. */
  public RowCoder<T> coder() {
    return new RowCoder<>(this);
  }

  private static Class<?> boxed(Class<?> t) {
    if (!t.isPrimitive()) {
      return t;
    }
    return t == long.class
        ? Long.class
        : t == int.class ? Integer.class : t == double.class ? Double.class : Boolean.class;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    derived = new Derived<>(type, namespace);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowType<?> t && t.type.equals(type) && t.namespace.equals(namespace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, namespace);
  }

  @Override
  public String toString() {
    return "RowType(" + type.getSimpleName() + ")";
  }

  /** The coder of {@link #coder()}. */
  public static final class RowCoder<T extends Record> extends CustomCoder<T> {
    private static final long serialVersionUID = 1L;
    private final RowType<T> rowType;
    private final AvroCoder<GenericRecord> avro;

    RowCoder(RowType<T> rowType) {
      this.rowType = rowType;
      this.avro = AvroCoder.of(rowType.schema());
    }

    @Override
    public void encode(T value, OutputStream out) throws IOException {
      avro.encode(rowType.toAvro(value), out);
    }

    @Override
    public T decode(InputStream in) throws IOException {
      return rowType.fromAvro(avro.decode(in));
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      avro.verifyDeterministic();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RowCoder<?> c && c.rowType.equals(rowType);
    }

    @Override
    public int hashCode() {
      return rowType.hashCode();
    }

    @Override
    public String toString() {
      return "RowCoder(" + rowType.type.getSimpleName() + ")";
    }
  }

  /** What is derived from the class: rebuilt after deserialization. */
  private static final class Derived<T extends Record> {
    final Schema schema;
    final RecordComponent[] components;
    final boolean[] nullable;
    final Constructor<T> constructor;

    Derived(Class<T> type, String namespace) {
      components = type.getRecordComponents();
      nullable = new boolean[components.length];
      List<Schema.Field> fields = new ArrayList<>();
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        types[i] = c.getType();
        nullable[i] = c.isAnnotationPresent(Column.Nullable.class);
        if (nullable[i] && c.getType().isPrimitive()) {
          throw new IllegalArgumentException(
              type.getSimpleName() + "." + c.getName() + " is primitive, so never null");
        }
        Schema s = valueSchema(type, c);
        if (nullable[i]) {
          s = Schema.createUnion(s, Schema.create(Schema.Type.NULL));
        }
        Column.Doc doc = c.getAnnotation(Column.Doc.class);
        Column.DefaultLong dflt = c.getAnnotation(Column.DefaultLong.class);
        fields.add(
            new Schema.Field(
                columnName(c.getName()),
                s,
                doc == null ? null : doc.value(),
                dflt == null ? null : (Object) dflt.value()));
      }
      schema = Schema.createRecord(type.getSimpleName(), null, namespace, false, fields);
      try {
        constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        for (RecordComponent c : components) {
          c.getAccessor().setAccessible(true);
        }
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Schema valueSchema(Class<?> type, RecordComponent c) {
      Class<?> t = c.getType();
      boolean timestamp = c.isAnnotationPresent(Column.Timestamp.class);
      boolean date = c.isAnnotationPresent(Column.Date.class);
      if (t == long.class || t == Long.class) {
        Schema s = Schema.create(Schema.Type.LONG);
        return timestamp ? LogicalTypes.timestampMillis().addToSchema(s) : s;
      }
      if (timestamp) {
        throw new IllegalArgumentException(
            type.getSimpleName() + "." + c.getName() + ": a timestamp is a long of millis");
      }
      if (t == int.class || t == Integer.class) {
        Schema s = Schema.create(Schema.Type.INT);
        return date ? LogicalTypes.date().addToSchema(s) : s;
      }
      if (date) {
        throw new IllegalArgumentException(
            type.getSimpleName() + "." + c.getName() + ": a date is an int of days");
      }
      if (t == double.class || t == Double.class) {
        return Schema.create(Schema.Type.DOUBLE);
      }
      if (t == boolean.class || t == Boolean.class) {
        return Schema.create(Schema.Type.BOOLEAN);
      }
      if (t == String.class) {
        return Schema.create(Schema.Type.STRING);
      }
      throw new IllegalArgumentException(
          type.getSimpleName() + "." + c.getName() + ": no column type for " + t.getName());
    }
  }
}
