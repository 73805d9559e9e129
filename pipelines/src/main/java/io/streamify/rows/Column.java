package io.streamify.rows;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a component of a typed row (a Java record read by {@link RowType}) is stored, where its Java
 * type alone does not say: whether it may be NULL, whether a {@code long} is a point in time, what
 * the column means.
 */
public final class Column {
  private Column() {}

  /**
   * The column may be NULL: an Avro union of the type and {@code null}, in that order (as Avro's
   * {@code SchemaBuilder...nullable()} makes it). A component of primitive type never is.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Nullable {}

  /**
   * A {@code long} or {@code Long} of milliseconds since 1970-01-01T00:00Z: Avro's {@code
   * timestamp-millis}, a TIMESTAMP in DuckDB and BigQuery.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Timestamp {}

  /** An {@code int} of days since 1970-01-01: Avro's {@code date}, a DATE in the warehouse. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Date {}

  /** What the column holds: the Avro field's doc, and the column's line in the table docs. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Doc {
    String value();
  }

  /** The value a {@code long} column reads as in files written before the column existed. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface DefaultLong {
    long value();
  }
}
