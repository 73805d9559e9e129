package io.streamify.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.api.services.bigquery.model.TableFieldSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The warehouse's SQL: BigQuery DDL for every {@link WarehouseTable}, derived from its schema, and
 * the views of {@code sql/views/} (one file each, written once for both engines: {@code
 * {{dataset}}} stands for the table prefix). {@code main} writes {@code sql/bigquery/tables.sql}
 * and {@code views.sql} for the dataset {@value #DATASET}; a test keeps them equal to what this
 * class generates.
 */
public final class WarehouseSql {
  public static final String DATASET = "streamify";
  public static final List<String> VIEWS = List.of("wide_stream", "streams_hourly");

  private WarehouseSql() {}

  /** A view's body as written in sql/views. */
  public static String viewBody(String name) {
    return sqlFile("views/" + name + ".sql").strip();
  }

  /** A file of sql/ as the build ships it (sql/views and sql/dashboard are resources). */
  public static String sqlFile(String relative) {
    try (InputStream in = WarehouseSql.class.getResourceAsStream("/io/streamify/sql/" + relative)) {
      if (in == null) {
        throw new IllegalStateException("missing sql/" + relative);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String duckDbView(String name) {
    return "CREATE OR REPLACE VIEW " + name + " AS\n" + viewBody(name).replace("{{dataset}}", "");
  }

  /**
   * @param dataset {@code dataset} or {@code project.dataset}
   */
  public static String bigQueryView(String name, String dataset) {
    return "CREATE OR REPLACE VIEW `"
        + dataset
        + "."
        + name
        + "` AS\n"
        + viewBody(name).replace("{{dataset}}", "`" + dataset + "`.")
        + ";\n";
  }

  public static String bigQueryTable(WarehouseTable t, String dataset) {
    List<String> columns = new ArrayList<>();
    for (TableFieldSchema f : BigQueryWarehouse.tableSchema(t).getFields()) {
      columns.add(
          "  "
              + f.getName()
              + " "
              + f.getType()
              + (f.getMode().equals("REQUIRED") ? " NOT NULL" : ""));
    }
    StringBuilder sql =
        new StringBuilder(
            "CREATE TABLE IF NOT EXISTS `"
                + dataset
                + "."
                + t.tableName()
                + "` (\n"
                + String.join(",\n", columns)
                + "\n)");
    if (BigQueryWarehouse.partitioning(t) != null) {
      sql.append("\nPARTITION BY TIMESTAMP_TRUNC(ts, DAY)");
    }
    if (!t.clustering().isEmpty()) {
      sql.append("\nCLUSTER BY ").append(String.join(", ", t.clustering()));
    }
    sql.append("\nOPTIONS (description = '")
        .append(t.description().replace("'", "\\'"))
        .append("');\n");
    return sql.toString();
  }

  public static String bigQueryTables(String dataset) {
    StringBuilder sql =
        new StringBuilder(
            "-- Generated from io.streamify.warehouse.WarehouseTable"
                + " (WarehouseSql); do not edit.\n-- The BigQuery tables of dataset `"
                + dataset
                + "`. The hourly pipeline also creates a missing table like this.\n");
    for (WarehouseTable t : WarehouseTable.values()) {
      sql.append('\n').append(bigQueryTable(t, dataset));
    }
    return sql.toString();
  }

  public static String bigQueryViews(String dataset) {
    StringBuilder sql =
        new StringBuilder("-- Generated from sql/views/ (WarehouseSql); do not" + " edit.\n");
    for (String v : VIEWS) {
      sql.append('\n').append(bigQueryView(v, dataset));
    }
    return sql.toString();
  }

  /**
   * The tables as JSON for Terraform ({@code terraform/bigquery.tf} creates one table per entry):
   * kind (HOURLY tables are partitioned by day on ts), clustering, description and the schema in
   * BigQuery's JSON form.
   */
  public static String bigQueryTablesJson() {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    var root = json.createObjectNode();
    for (WarehouseTable t : WarehouseTable.values()) {
      var table = root.putObject(t.tableName());
      table.put("kind", t.kind().name());
      table.put("description", t.description());
      var clustering = table.putArray("clustering");
      t.clustering().forEach(clustering::add);
      var schema = table.putArray("schema");
      for (var f : BigQueryWarehouse.tableSchema(t).getFields()) {
        schema
            .addObject()
            .put("name", f.getName())
            .put("type", f.getType())
            .put("mode", f.getMode());
      }
    }
    try {
      return json.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes sql/bigquery/tables.sql, tables.json and views.sql under the given sql folder; a file
   * already as it should be is left untouched (so the launcher sees nothing to rebuild).
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "sql").resolve("bigquery");
    Files.createDirectories(dir);
    writeIfChanged(dir.resolve("tables.sql"), bigQueryTables(DATASET));
    writeIfChanged(dir.resolve("tables.json"), bigQueryTablesJson());
    writeIfChanged(dir.resolve("views.sql"), bigQueryViews(DATASET));
  }

  /** Writes {@code text} to {@code file} unless the file holds it already. */
  public static void writeIfChanged(Path file, String text) throws IOException {
    if (!Files.exists(file) || !Files.readString(file).equals(text)) {
      Files.writeString(file, text);
    }
  }
}
