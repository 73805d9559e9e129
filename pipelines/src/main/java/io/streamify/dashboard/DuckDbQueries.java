package io.streamify.dashboard;

import io.streamify.warehouse.DuckDbWarehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's queries on the local DuckDB warehouse. It holds one connection for its lifetime:
 * DuckDB shares a database between the connections of one process, so the hourly pipeline's loads
 * (in {@code streamify local}) commit while the dashboard reads, each query seeing a consistent
 * snapshot. The tables and views are created if missing, so the dashboard starts before the first
 * hour is loaded.
 */
public final class DuckDbQueries implements WarehouseQueries {
  private final String file;
  private final DuckDbWarehouse warehouse;

  public DuckDbQueries(String file) throws SQLException {
    this.file = file;
    this.warehouse = DuckDbWarehouse.open(file);
  }

  @Override
  public synchronized List<Map<String, Object>> run(String queryName,
      Map<String, Object> parameters) throws SQLException {
    String sql = DashboardQueries.forDataset(queryName, "");
    List<String> names = DashboardQueries.parameterNames(sql);
    Connection c = warehouse.connection();
    try (PreparedStatement s = c.prepareStatement(DashboardQueries.positional(sql))) {
      for (int i = 0; i < names.size(); i++) {
        Object v = parameters.get(names.get(i));
        if (v == null && !parameters.containsKey(names.get(i))) {
          throw new IllegalArgumentException(queryName + " needs parameter @" + names.get(i));
        }
        s.setObject(i + 1, v instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : v);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rows(rs);
      }
    }
  }

  static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<Map<String, Object>> rows = new ArrayList<>();
    while (rs.next()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        row.put(md.getColumnLabel(i), jsonValue(rs.getObject(i)));
      }
      rows.add(row);
    }
    return rows;
  }

  static Object jsonValue(Object v) {
    if (v == null || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof java.math.BigDecimal d) {
      return d.scale() <= 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
    }
    if (v instanceof java.math.BigInteger b) {
      return b.longValueExact();
    }
    if (v instanceof Double || v instanceof Float) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    return v.toString();
  }

  @Override
  public String description() {
    return "DuckDB " + file;
  }

  @Override
  public synchronized void close() throws SQLException {
    warehouse.close();
  }
}
