package io.streamify.warehouse.rows;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The data-quality rules of a warehouse table, declared on its typed row beside the columns they
 * constrain (dbt's {@code schema.yml} tests: unique, relationships, accepted values), read by
 * {@code io.streamify.warehouse.Rule#of} and checked by every hourly run before it loads. Column
 * names are the record's component names; a test checks that every name given exists.
 */
public final class Declare {
  private Declare() {}

  /** The table's key: no two rows share it, and {@link References} point at it. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Key {}

  /**
   * No two rows share these columns (the table's grain). {@code as} names the columns in failure
   * lines and describes a row there: "(session, item)" → "session 7 item 3".
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Repeatable(UniqueColumns.class)
  public @interface Unique {
    String[] value();

    String as();
  }

  /** The container of repeated {@link Unique}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface UniqueColumns {
    Unique[] value();
  }

  /** Every value of the column is the {@link Key} of a row of the table of {@code value()}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface References {
    Class<? extends Record> value();
  }

  /**
   * Every value of the column is the durable key of exactly one version of the type 2 table of
   * {@code value()} (declared with {@link Versions}) in force at the row's {@code at} column.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface VersionInForce {
    Class<? extends Record> value();

    String at();
  }

  /**
   * A slowly changing dimension of type 2: a version of {@code key} is in force from {@code from}
   * (inclusive) to {@code to} (exclusive).
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface Versions {
    String key();

    String from();

    String to();
  }

  /** The column holds one of these values only. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface AcceptedValues {
    String[] value();
  }
}
