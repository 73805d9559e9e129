package io.streamify.dashboard;

import io.streamify.warehouse.DuckDbWarehouse;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The dashboard's queries on a local DuckDB warehouse, in one of two modes.
 *
 * <ul>
 *   <li>{@link #DuckDbQueries(String) shared}: one read-write connection for its lifetime, for
 *       {@code streamify local}, where the hourly runner loads in the same process (DuckDB shares a
 *       database between the connections of one process, so loads commit while the dashboard reads,
 *       each query seeing a consistent snapshot). The tables and views are created if missing, so
 *       the dashboard starts before the first hour is loaded.
 *   <li>{@link #readOnly(String) read-only}: for the standalone {@code streamify dashboard}, each
 *       query opens the file read-only and closes it, so an hourly run in another process can take
 *       DuckDB's write lock between queries. While that run holds it, a query fails with {@link
 *       WarehouseBusyException} (one line naming the holder) and the page retries at its next
 *       refresh.
 * </ul>
 */
public final class DuckDbQueries implements WarehouseQueries {
  private final String file;
  private final DuckDbWarehouse warehouse; // null when read-only

  /** Shared mode: opens (creating if needed) the warehouse read-write for its lifetime. */
  public DuckDbQueries(String file) throws SQLException {
    this.file = file;
    this.warehouse = DuckDbWarehouse.open(file);
  }

  private DuckDbQueries(String file, boolean readOnly) {
    this.file = file;
    this.warehouse = null;
  }

  /**
   * Read-only mode: the file is opened read-only for each query and closed after it. It is opened
   * once here to check that it is a Streamify warehouse (unless another process is writing it,
   * which only a DuckDB database can be).
   *
   * @throws IllegalArgumentException when the file is not a DuckDB database, or one without the
   *     warehouse's fact_streams table; the message is one line
   */
  public static DuckDbQueries readOnly(String file) {
    DuckDbQueries q = new DuckDbQueries(file, true);
    try (Connection c = q.openReadOnly();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM information_schema.tables"
                    + " WHERE table_name = 'fact_streams'")) {
      rs.next();
      if (rs.getLong(1) == 0) {
        throw new IllegalArgumentException(
            file
                + " is a DuckDB database but not a Streamify"
                + " warehouse (it has no fact_streams table; streamify hourly creates one)");
      }
    } catch (WarehouseBusyException e) {
      // a DuckDB database being loaded: its queries wait for their turn
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          file
              + " is not a DuckDB database ("
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + ")");
    }
    return q;
  }

  /** Another process holds the warehouse's write lock (an hourly run loading it). */
  public static final class WarehouseBusyException extends SQLException {
    WarehouseBusyException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Connection openReadOnly() throws SQLException {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    try {
      Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, p);
      try (Statement s = c.createStatement()) {
        s.execute("SET TimeZone = 'UTC'");
      }
      return c;
    } catch (SQLException e) {
      Optional<String> holder = DuckDbWarehouse.lockHolder(e);
      if (holder.isPresent()) {
        throw new WarehouseBusyException(
            file
                + " is being written by another process"
                + holder.get()
                + "; the page retries at its"
                + " next refresh",
            e);
      }
      throw e;
    }
  }

  @Override
  public synchronized List<Map<String, Object>> run(
      String queryName, Map<String, Object> parameters) throws SQLException {
    String sql = DashboardQueries.forDataset(queryName, "");
    List<String> names = DashboardQueries.parameterNames(sql);
    Connection own = warehouse == null ? openReadOnly() : null;
    Connection c = own != null ? own : warehouse.connection();
    try (own;
        PreparedStatement s = c.prepareStatement(DashboardQueries.positional(sql))) {
      for (int i = 0; i < names.size(); i++) {
        Object v = parameters.get(names.get(i));
        if (v == null && !parameters.containsKey(names.get(i))) {
          throw new IllegalArgumentException(queryName + " needs parameter @" + names.get(i));
        }
        s.setObject(
            i + 1, v instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : v);
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
    if (v instanceof BigDecimal d) {
      return d.scale() <= 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
    }
    if (v instanceof BigInteger b) {
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
    if (v instanceof Timestamp t) {
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
    if (warehouse != null) {
      warehouse.close();
    }
  }
}
