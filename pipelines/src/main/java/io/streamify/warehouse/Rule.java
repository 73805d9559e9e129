package io.streamify.warehouse;

import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare;
import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A data-quality rule of a warehouse table: the one statement of it, read from the declarations on
 * the table's typed row ({@link Declare}; the raw tables' grain is stated here), checked by every
 * hourly run before it loads ({@code io.streamify.hourly.checks}) and listed in the table docs.
 * Columns are named as in the warehouse. Serializable, so that a check can carry its rules.
 */
public sealed interface Rule extends Serializable {
  /** The table the rule is about. */
  WarehouseTable table();

  /** The rule in words, for the docs. */
  String describe();

  /** No two rows share the columns; {@code as} names them ("(session, item)"). */
  record Unique(WarehouseTable table, List<String> columns, String as) implements Rule {
    @Override
    public String describe() {
      return "unique " + String.join(", ", columns);
    }
  }

  /** Every value of {@code column} is a {@code targetColumn} of {@code target} (a relationship). */
  record Relationship(
      WarehouseTable table, String column, WarehouseTable target, String targetColumn)
      implements Rule {
    @Override
    public String describe() {
      return column + " references " + target.tableName() + "." + targetColumn;
    }
  }

  /**
   * Every value of {@code column} is the {@code key} of exactly one row of the type 2 {@code
   * target} whose {@code [from, to)} holds the row's {@code at}.
   */
  record VersionInForce(
      WarehouseTable table,
      String column,
      String at,
      WarehouseTable target,
      String key,
      String from,
      String to)
      implements Rule {
    @Override
    public String describe() {
      return column
          + " references exactly one "
          + target.tableName()
          + " version in force at "
          + at
          + " ("
          + from
          + " <= "
          + at
          + " < "
          + to
          + ")";
    }
  }

  /**
   * The rows of a type 2 table: per {@code key}, every version ends after it starts ({@code from <
   * to}) and no two overlap.
   */
  record Versions(WarehouseTable table, String key, String from, String to) implements Rule {
    @Override
    public String describe() {
      return "versions of each "
          + key
          + " do not overlap, each ends after it starts ("
          + from
          + " < "
          + to
          + ")";
    }
  }

  /** {@code column} holds one of {@code values} only. */
  record AcceptedValues(WarehouseTable table, String column, List<String> values) implements Rule {
    @Override
    public String describe() {
      return column + " in (" + String.join(", ", values) + ")";
    }
  }

  /** The grain of every raw table: eventsim's event identity. */
  List<String> RAW_GRAIN = List.of("sessionId", "itemInSession");

  /**
   * The rules of {@code table}, in declaration order: unique grains and keys, then per column its
   * relationships, versions in force and accepted values.
   *
   * @throws IllegalStateException a declaration naming a column the row does not have
   */
  static List<Rule> of(WarehouseTable table) {
    List<Rule> rules = new ArrayList<>();
    if (table.isRaw()) {
      rules.add(new Unique(table, RAW_GRAIN, "(session, item)"));
      return rules;
    }
    return declared(table, table.rowType().type());
  }

  /** The rules declared on {@code row}, as rules of {@code table}. */
  static List<Rule> declared(WarehouseTable table, Class<? extends Record> row) {
    List<Rule> rules = new ArrayList<>();
    for (Declare.Unique u : row.getAnnotationsByType(Declare.Unique.class)) {
      rules.add(
          new Unique(table, Arrays.stream(u.value()).map(c -> column(row, c)).toList(), u.as()));
    }
    for (RecordComponent c : row.getRecordComponents()) {
      String name = RowType.columnName(c.getName());
      if (c.isAnnotationPresent(Declare.Key.class)) {
        rules.add(new Unique(table, List.of(name), name));
      }
    }
    Declare.Versions own = row.getAnnotation(Declare.Versions.class);
    if (own != null) {
      rules.add(
          new Versions(
              table,
              longColumn(row, own.key()),
              longColumn(row, own.from()),
              longColumn(row, own.to())));
    }
    for (RecordComponent c : row.getRecordComponents()) {
      String name = RowType.columnName(c.getName());
      Declare.References r = c.getAnnotation(Declare.References.class);
      if (r != null) {
        WarehouseTable target = of(r.value());
        rules.add(new Relationship(table, longColumn(row, c.getName()), target, key(target)));
      }
      Declare.VersionInForce v = c.getAnnotation(Declare.VersionInForce.class);
      if (v != null) {
        WarehouseTable target = of(v.value());
        Declare.Versions versions = v.value().getAnnotation(Declare.Versions.class);
        if (versions == null) {
          throw new IllegalStateException(target.tableName() + " declares no @Versions");
        }
        rules.add(
            new VersionInForce(
                table,
                longColumn(row, c.getName()),
                longColumn(row, v.at()),
                target,
                longColumn(v.value(), versions.key()),
                longColumn(v.value(), versions.from()),
                longColumn(v.value(), versions.to())));
      }
      Declare.AcceptedValues a = c.getAnnotation(Declare.AcceptedValues.class);
      if (a != null) {
        if (c.getType() != String.class) {
          throw new IllegalStateException(
              row.getSimpleName() + "." + c.getName() + ": accepted values are for text columns");
        }
        rules.add(new AcceptedValues(table, name, List.of(a.value())));
      }
    }
    return rules;
  }

  /** Every table's rules. */
  static List<Rule> all() {
    return Arrays.stream(WarehouseTable.values()).flatMap(t -> of(t).stream()).toList();
  }

  private static WarehouseTable of(Class<? extends Record> row) {
    return Arrays.stream(WarehouseTable.values())
        .filter(t -> !t.isRaw() && t.rowType().type() == row)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no warehouse table has rows " + row));
  }

  /** The column of {@code target}'s @Key, which must be a long. */
  private static String key(WarehouseTable target) {
    Class<? extends Record> row = target.rowType().type();
    return Arrays.stream(row.getRecordComponents())
        .filter(c -> c.isAnnotationPresent(Declare.Key.class))
        .map(c -> longColumn(row, c.getName()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(target.tableName() + " declares no @Key"));
  }

  /**
   * The column of a component that must exist and hold a long (keys, times): the checks read it as
   * one.
   */
  private static String longColumn(Class<? extends Record> row, String component) {
    String column = column(row, component);
    Class<?> type =
        Arrays.stream(row.getRecordComponents())
            .filter(c -> c.getName().equals(component))
            .findFirst()
            .orElseThrow()
            .getType();
    if (type != long.class && type != Long.class) {
      throw new IllegalStateException(
          row.getSimpleName() + "." + component + " is a " + type.getSimpleName() + ", not a long");
    }
    return column;
  }

  /** The column of a component name, which must exist. */
  private static String column(Class<? extends Record> row, String component) {
    if (Arrays.stream(row.getRecordComponents()).noneMatch(c -> c.getName().equals(component))) {
      throw new IllegalStateException(row.getSimpleName() + " has no component " + component);
    }
    return RowType.columnName(component);
  }
}
