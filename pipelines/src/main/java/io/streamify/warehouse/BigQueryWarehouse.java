package io.streamify.warehouse;

import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The BigQuery form of the {@link WarehouseTable}s: column types, modes, partitioning (DAY on
 * {@code ts} for the hourly tables) and clustering, derived from the one schema definition. {@code
 * sql/bigquery/tables.sql} states the same in DDL, and a test keeps the two equal.
 */
public final class BigQueryWarehouse {
  private BigQueryWarehouse() {}

  public static TableSchema tableSchema(WarehouseTable t) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      Schema s = f.schema();
      String mode = "REQUIRED";
      if (s.getType() == Schema.Type.UNION) {
        mode = "NULLABLE";
        s =
            s.getTypes().stream()
                .filter(x -> x.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
      }
      fields.add(new TableFieldSchema().setName(f.name()).setType(type(s)).setMode(mode));
    }
    return new TableSchema().setFields(fields);
  }

  /** The BigQuery (standard SQL) type of an Avro type, as a load with logical types makes it. */
  public static String type(Schema s) {
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMillis) {
      return "TIMESTAMP";
    }
    if (logical instanceof LogicalTypes.Date) {
      return "DATE";
    }
    return switch (s.getType()) {
      case LONG, INT -> "INT64";
      case DOUBLE, FLOAT -> "FLOAT64";
      case BOOLEAN -> "BOOL";
      case STRING -> "STRING";
      case BYTES -> "BYTES";
      default -> throw new IllegalArgumentException("no BigQuery type for " + s);
    };
  }

  /**
   * DAY partitions on ts for the hourly tables (hours are replaced inside a day by {@link
   * BigQueryHourReplacement}; a table holds at most 10,000 partitions, which HOUR partitions would
   * exhaust in about 14 months); none for dimensions.
   */
  public static TimePartitioning partitioning(WarehouseTable t) {
    return t.kind() == WarehouseTable.Kind.HOURLY
        ? new TimePartitioning().setType(PARTITION_TYPE).setField("ts")
        : null;
  }

  /** The hourly tables' partition granularity. */
  public static final String PARTITION_TYPE = "DAY";

  public static Clustering clustering(WarehouseTable t) {
    return t.clustering().isEmpty() ? null : new Clustering().setFields(t.clustering());
  }
}
