package io.streamify.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.events.LakeTable;
import io.streamify.warehouse.DuckDbWarehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code streamify query SQL}: one SQL query over the local warehouse and lake, printed as a
 * table, CSV or JSON lines, so a user with only a JDK can look at what the pipelines wrote.
 *
 * <p>It runs on an in-memory DuckDB: the warehouse file is attached read-only as the default
 * catalog (its tables by their own names: {@code fact_streams}, {@code dim_users} …), and each
 * lake table is a view {@code lake_<table>} over its Parquet files (empty while it has none), with the hour
 * partition's {@code dt} and {@code hr} as columns ({@code lake_listen_events} …
 * {@code lake_deadletter}; docs/lake-layout.md). Timestamps are shown in UTC.
 *
 * <p>Exit codes: 0 the result was printed; 2 a usage mistake (a path that is not there, SQL that
 * DuckDB rejects), 1 a failure while reading (a warehouse another process is writing, whose
 * holder is named; unreadable files). Each is one line on stderr.
 */
@Command(name = "streamify query", mixinStandardHelpOptions = true,
    versionProvider = io.streamify.cli.VersionProvider.class, usageHelpWidth = 100,
    customSynopsis = "streamify query [OPTIONS] SQL", sortOptions = false,
    description = {"Runs one SQL query (DuckDB's dialect) on the warehouse's tables and the"
        + " lake's Parquet files (views lake_listen_events, lake_page_view_events,"
        + " lake_auth_events, lake_status_change_events, lake_deadletter) and prints the result.",
        "The warehouse is opened read-only: stop streamify local (it holds the file) first;"
        + " the lake can be queried while it runs.",
        "Exit code: 0 printed, 1 failed while reading, 2 a usage mistake (also bad SQL)."})
public final class Query implements Callable<Integer> {
  static final Path DEFAULT_DATA = Path.of("streamify-data");

  enum Format { table, csv, json }

  @Parameters(index = "0", paramLabel = "SQL", description = {"The query.",
      "e.g. \"SELECT level, count(*) FROM fact_streams GROUP BY level\""})
  String sql;

  @Option(names = "--warehouse", paramLabel = "FILE.duckdb", description = {"The DuckDB"
      + " warehouse (default: streamify-data/warehouse.duckdb, if there).",
      "e.g. --warehouse=/tmp/w.duckdb"})
  Path warehouse;

  @Option(names = "--lake", paramLabel = "DIR", description = {"The lake folder (default:"
      + " streamify-data/lake, if there).", "e.g. --lake=/tmp/lake"})
  Path lake;

  @Option(names = "--format", paramLabel = "FORMAT", description = {"table, csv or json (one"
      + " object per line) (default: ${DEFAULT-VALUE}).", "e.g. --format=csv"})
  Format format = Format.table;

  @Option(names = "--max-rows", paramLabel = "N", description = {"Rows a table shows; the"
      + " rest are counted (default: ${DEFAULT-VALUE}; 0 = all; csv and json print all).",
      "e.g. --max-rows=20"})
  int maxRows = 40;

  private final PrintStream out;
  private final PrintStream err;

  Query(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** A mistake in the command: exit 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns its exit code (see the class comment). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cmd = new CommandLine(new Query(out, err));
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    cmd.setParameterExceptionHandler((ex, a) -> {
      err.println("streamify query: " + ex.getMessage() + " (see --help)");
      return 2;
    });
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof UsageException) {
        err.println("streamify query: " + ex.getMessage());
        return 2;
      }
      err.println("streamify query: " + firstLine(String.valueOf(ex.getMessage())));
      return 1;
    });
    return cmd.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (maxRows < 0) {
      throw new UsageException("--max-rows must be >= 0");
    }
    Path warehouseFile = existing(warehouse, DEFAULT_DATA.resolve("warehouse.duckdb"),
        "--warehouse", "no warehouse at %s (streamify local or streamify hourly makes one)");
    Path lakeDir = existing(lake, DEFAULT_DATA.resolve("lake"), "--lake",
        "no lake at %s (streamify local or streamify stream writes one)");
    if (warehouseFile == null && lakeDir == null) {
      throw new UsageException("nothing to query: no streamify-data/ here; give --warehouse or"
          + " --lake");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      if (warehouseFile != null) {
        attach(s, warehouseFile);
      }
      if (lakeDir != null) {
        for (String view : lakeViews(lakeDir)) {
          s.execute(view);
        }
      }
      ResultSet rs;
      try {
        rs = s.executeQuery(sql);
      } catch (SQLException e) {
        String m = firstLine(String.valueOf(e.getMessage()));
        if (m.startsWith("IO Error")) {
          throw e; // the files, not the query: a failure
        }
        throw new UsageException(m);
      }
      try (rs) {
        print(rs);
      }
    }
    return 0;
  }

  /** The path given (which must exist), or the default when it exists, or null. */
  private static Path existing(Path given, Path fallback, String option, String missing) {
    if (given != null) {
      if (!Files.exists(given)) {
        throw new UsageException(String.format(Locale.ROOT, missing, given) + " (" + option
            + ")");
      }
      return given;
    }
    return Files.exists(fallback) ? fallback : null;
  }

  private static void attach(Statement s, Path file) throws SQLException {
    try {
      s.execute("ATTACH " + literal(file.toAbsolutePath().toString())
          + " AS warehouse (READ_ONLY)");
      s.execute("USE warehouse");
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("lock")) {
        Matcher pid = Pattern.compile("PID (\\d+)").matcher(m);
        throw new SQLException(file + " is open for writing in another process"
            + (pid.find() ? " (PID " + pid.group(1) + ")" : "") + ", such as a running"
            + " streamify local: query it once that stops, or query the lake_* views meanwhile");
      }
      throw new UsageException(file + " is not a DuckDB database (" + firstLine(m) + ")");
    }
  }

  /**
   * CREATE TEMP VIEW statements, one per lake table: all of its Parquet files, columns merged by
   * name (files written before a column existed have it null), with the hour partition's dt and
   * hr; an empty view of the table's columns while it has no file.
   */
  static List<String> lakeViews(Path lakeDir) {
    List<String> views = new ArrayList<>();
    for (LakeTable t : LakeTable.values()) {
      Path folder = lakeDir.resolve(t.folder());
      if (!hasParquet(folder)) {
        // no file yet (often: no dead letter): an empty view of the table's columns
        List<String> columns = new ArrayList<>();
        for (Schema.Field f : t.schema().getFields()) {
          columns.add("CAST(NULL AS " + DuckDbWarehouse.duckType(f.schema()) + ") AS " + f.name());
        }
        views.add("CREATE TEMP VIEW lake_" + t.tableName() + " AS SELECT "
            + String.join(", ", columns) + ", CAST(NULL AS DATE) AS dt, CAST(NULL AS INTEGER)"
            + " AS hr WHERE false");
        continue;
      }
      views.add("CREATE TEMP VIEW lake_" + t.tableName() + " AS SELECT * FROM read_parquet("
          + literal(folder.toAbsolutePath() + "/*/*/*.parquet")
          + ", hive_partitioning = true, hive_types = {'dt': DATE, 'hr': INTEGER},"
          + " union_by_name = true)");
    }
    return views;
  }

  private static boolean hasParquet(Path folder) {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(folder, 3)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private void print(ResultSet rs) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add(md.getColumnLabel(i));
    }
    switch (format) {
      case csv -> {
        out.println(csvLine(names));
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(text(rs, i));
          }
          out.println(csvLine(row));
        }
      }
      case json -> {
        ObjectMapper json = new ObjectMapper();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            row.put(names.get(i - 1), v == null || v instanceof Number || v instanceof Boolean
                ? v : text(rs, i));
          }
          out.println(json.writeValueAsString(row));
        }
      }
      case table -> table(rs, names);
    }
  }

  private void table(ResultSet rs, List<String> names) throws SQLException {
    int n = names.size();
    boolean[] numeric = new boolean[n];
    for (int i = 0; i < n; i++) {
      int type = rs.getMetaData().getColumnType(i + 1);
      numeric[i] = switch (type) {
        case java.sql.Types.TINYINT, java.sql.Types.SMALLINT, java.sql.Types.INTEGER,
            java.sql.Types.BIGINT, java.sql.Types.FLOAT, java.sql.Types.REAL,
            java.sql.Types.DOUBLE, java.sql.Types.DECIMAL, java.sql.Types.NUMERIC -> true;
        default -> false;
      };
    }
    List<String[]> rows = new ArrayList<>();
    long total = 0;
    while (rs.next()) {
      total++;
      if (maxRows == 0 || rows.size() < maxRows) {
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
          String v = text(rs, i + 1);
          row[i] = v == null ? "NULL" : cell(v);
        }
        rows.add(row);
      }
    }
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = names.get(i).length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(line(names.toArray(String[]::new), width, new boolean[n]));
    out.println(rule);
    for (String[] row : rows) {
      out.println(line(row, width, numeric));
    }
    out.println(total == rows.size()
        ? "(" + total + (total == 1 ? " row)" : " rows)")
        : "(" + rows.size() + " of " + total + " rows shown; --max-rows=0 shows all)");
  }

  /**
   * A value as text: a timestamp with time zone as an ISO-8601 instant in UTC
   * ({@code 2026-11-24T13:10:00Z}, seconds always shown), one without as ISO-8601 local time,
   * anything else as DuckDB writes it; null for SQL NULL.
   */
  static String text(ResultSet rs, int column) throws SQLException {
    Object v = rs.getObject(column);
    if (v == null) {
      return null;
    }
    if (v instanceof java.time.OffsetDateTime t) {
      return t.toInstant().toString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t.toLocalDateTime());
    }
    return rs.getString(column);
  }

  /** One line of a cell: control characters (newlines, tabs, bidi overrides) as spaces, long text cut. */
  static String cell(String v) {
    String flat = v.replaceAll("[\\p{Cc}\\p{Cf}]", " ");
    return flat.length() > 60 ? flat.substring(0, 59) + "…" : flat;
  }

  private static String line(String[] cells, int[] width, boolean[] right) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        s.append(" | ");
      }
      String pad = " ".repeat(width[i] - cells[i].length());
      s.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
    }
    return s.toString();
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
  static String csvLine(List<String> fields) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      String f = fields.get(i);
      if (i > 0) {
        s.append(',');
      }
      if (f == null) {
        continue; // NULL: an empty field
      }
      s.append(f.matches("(?s).*[,\"\r\n].*") ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
    }
    return s.toString();
  }

  private static String firstLine(String message) {
    return message.lines().findFirst().orElse(message);
  }
}
