package io.streamify.dashboard;

import java.util.List;
import java.util.Map;

/**
 * Runs a dashboard query on a warehouse. Rows come back as column name → value, values as JSON
 * would carry them: numbers as Long or Double, timestamps as ISO-8601 strings, the rest as text.
 */
public interface WarehouseQueries extends AutoCloseable {
  List<Map<String, Object>> run(String queryName, Map<String, Object> parameters) throws Exception;

  /** What the dashboard says it reads, e.g. "DuckDB warehouse.duckdb". */
  String description();

  /**
   * {@code project:dataset} → BigQuery, anything else → a DuckDB file, read-only per query so that
   * hourly runs of other processes can load it meanwhile.
   */
  static WarehouseQueries open(String warehouse) throws Exception {
    if (warehouse.endsWith(".duckdb")) {
      return DuckDbQueries.readOnly(warehouse);
    }
    return BigQueryQueries.open(warehouse);
  }

  @Override
  void close() throws Exception;
}
