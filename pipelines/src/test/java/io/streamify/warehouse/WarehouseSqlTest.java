package io.streamify.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed BigQuery SQL is what the table schemas and view files generate. */
class WarehouseSqlTest {
  static final Path SQL = Path.of("..", "sql", "bigquery");

  @Test
  void committedBigQuerySqlMatchesTheSchemas() throws Exception {
    String regenerate = "regenerate with: java -cp ... io.streamify.warehouse.WarehouseSql sql";
    assertThat(
        regenerate,
        Files.readString(SQL.resolve("tables.sql")),
        equalTo(WarehouseSql.bigQueryTables(WarehouseSql.DATASET)));
    assertThat(
        regenerate,
        Files.readString(SQL.resolve("tables.json")),
        equalTo(WarehouseSql.bigQueryTablesJson()));
    assertThat(
        regenerate,
        Files.readString(SQL.resolve("views.sql")),
        equalTo(WarehouseSql.bigQueryViews(WarehouseSql.DATASET)));
  }
}
