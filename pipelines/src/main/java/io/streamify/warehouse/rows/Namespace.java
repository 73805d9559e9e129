package io.streamify.warehouse.rows;

/** The Avro namespace of the warehouse's records (their Parquet files' message names). */
final class Namespace {
  static final String WAREHOUSE = "io.streamify.warehouse.avro";

  private Namespace() {}
}
