package io.streamify.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.cli.VersionProvider;
import io.streamify.events.LakeTable;
import io.streamify.warehouse.DuckDbWarehouse;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code streamify query SQL}: one SQL query over the local warehouse and lake, printed as a table,
 * CSV or JSON lines, so a user with only a JDK can look at what the pipelines wrote.
 *
 * <p>It runs on an in-memory DuckDB: the warehouse file is attached read-only as the default
 * catalog (its tables by their own names: {@code fact_streams}, {@code dim_users} …), and each lake
 * table is a view {@code lake_<table>} over its Parquet files (empty while it has none), with the
 * hour partition's {@code dt} and {@code hr} as columns ({@code lake_listen_events} … {@code
 * lake_deadletter}; docs/lake-layout.md). Timestamps are shown in UTC.
 *
 * <p>Exit codes: 0 the result was printed; 2 a usage mistake (a path that is not there, SQL that
 * DuckDB rejects), 1 a failure while reading (a warehouse another process is writing, whose holder
 * is named; unreadable files). Each is one line on stderr.
 */
@Command(
    name = "streamify query",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpWidth = 100,
    customSynopsis = "streamify query [OPTIONS] SQL",
    sortOptions = false,
    description = {
      "Runs one SQL query (DuckDB's dialect) on the warehouse's tables and the"
          + " lake's Parquet files (views lake_listen_events, lake_page_view_events,"
          + " lake_auth_events, lake_status_change_events, lake_deadletter) and prints the result.",
      "The warehouse is opened read-only: stop streamify local (it holds the file) first;"
          + " the lake can be queried while it runs.",
      "Exit code: 0 printed, 1 failed while reading, 2 a usage mistake (also bad SQL)."
    })
public final class Query implements Callable<Integer> {
  /** The data folder streamify local makes (relative: the working folder's). */
  static Path defaultData = Path.of("streamify-data");

  enum Format {
    table,
    csv,
    json
  }

  @Parameters(
      index = "0",
      paramLabel = "SQL",
      description = {
        "The query.",
        "e.g. \"SELECT level, count(*) FROM fact_streams GROUP BY level\""
      })
  String sql;

  @Option(
      names = "--warehouse",
      paramLabel = "FILE.duckdb",
      description = {
        "The DuckDB" + " warehouse (default: streamify-data/warehouse.duckdb, if there).",
        "e.g. --warehouse=/tmp/w.duckdb"
      })
  Path warehouse;

  @Option(
      names = "--lake",
      paramLabel = "DIR",
      description = {
        "The lake folder (default:" + " streamify-data/lake, if there).",
        "e.g. --lake=/tmp/lake"
      })
  Path lake;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = {
        "table, csv or json (one" + " object per line) (default: ${DEFAULT-VALUE}).",
        "e.g. --format=csv"
      })
  Format format = Format.table;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      description = {
        "Rows a table shows; the"
            + " rest are counted (default: ${DEFAULT-VALUE}; 0 = all; csv and json print all).",
        "e.g. --max-rows=20"
      })
  int maxRows = 40;

  private final GuardedOutput output;
  private final PrintStream out;
  private final PrintStream err;

  Query(OutputStream out, PrintStream err) {
    this.output = new GuardedOutput(out);
    this.out = new PrintStream(output, false, StandardCharsets.UTF_8);
    this.err = err;
  }

  /**
   * The result's stream: buffered, and remembering the first write error instead of swallowing it
   * (as a PrintStream would), so a full disk fails the command and a closed pipe ({@code | head})
   * stops the query early.
   */
  static final class GuardedOutput extends OutputStream {
    private final OutputStream target;
    private volatile String failure;

    GuardedOutput(OutputStream target) {
      this.target = new BufferedOutputStream(target, 1 << 16);
    }

    String failure() {
      return failure;
    }

    /** The reader went away ({@code | head}): not a failure, like any Unix filter. */
    boolean readerGone() {
      return failure != null && failure.toLowerCase(Locale.ROOT).contains("broken pipe");
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (failure != null) {
        throw new IOException(failure);
      }
      try {
        target.write(b, off, len);
      } catch (IOException e) {
        failure = String.valueOf(e.getMessage());
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      if (failure != null) {
        return;
      }
      try {
        target.flush();
      } catch (IOException e) {
        failure = String.valueOf(e.getMessage());
        throw e;
      }
    }
  }

  /** A mistake in the command: exit 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, new FileOutputStream(FileDescriptor.out), System.err));
  }

  /** Runs the command; returns its exit code (see the class comment). */
  public static int run(String[] args, OutputStream out, PrintStream err) {
    Query query = new Query(out, err);
    CommandLine cmd = new CommandLine(query);
    // SQL that starts with a comment ("-- …") is the query, not an option
    cmd.setUnmatchedOptionsArePositionalParams(true);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setOut(new PrintWriter(query.out, true));
    cmd.setErr(new PrintWriter(err, true));
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("streamify query: " + ex.getMessage() + " (see --help)");
          return 2;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof UsageException) {
            err.println("streamify query: " + ex.getMessage());
            return 2;
          }
          err.println("streamify query: " + firstLine(String.valueOf(ex.getMessage())));
          return 1;
        });
    int code = cmd.execute(args);
    query.out.flush();
    return code;
  }

  @Override
  public Integer call() throws Exception {
    if (maxRows < 0) {
      throw new UsageException("--max-rows must be >= 0");
    }
    Path warehouseFile =
        existing(
            warehouse,
            defaultData.resolve("warehouse.duckdb"),
            "--warehouse",
            "no warehouse at %s (streamify local or streamify hourly makes one)");
    Path lakeDir =
        existing(
            lake,
            defaultData.resolve("lake"),
            "--lake",
            "no lake at %s (streamify local or streamify stream writes one)");
    if (warehouseFile == null && lakeDir == null) {
      throw new UsageException(
          "nothing to query: no streamify-data/ here; give --warehouse or" + " --lake");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      readOnlyQuery(c, sql);
      s.execute("SET TimeZone = 'UTC'");
      // no download of DuckDB extensions behind the user's back (a SQLite file would fetch one)
      s.execute("SET autoinstall_known_extensions = false");
      if (warehouseFile != null) {
        // on a statement of its own: DuckDB's driver closes a statement whose command failed
        try (Statement a = c.createStatement()) {
          attach(a, warehouseFile);
        } catch (WarehouseBusyException e) {
          if (warehouse != null) {
            throw e;
          }
          // the default warehouse, held by a running streamify local: the lake still answers
          err.println(
              "streamify query: note: "
                  + e.getMessage()
                      .replaceFirst(
                          ", such as.*",
                          ", such as a running streamify local; querying the lake only"));
        }
      }
      if (lakeDir != null) {
        for (String view : lakeViews(lakeDir, sql)) {
          s.execute(view);
        }
      }
      ResultSet rs;
      try {
        rs = s.executeQuery(sql);
      } catch (SQLException e) {
        String m = firstLine(String.valueOf(e.getMessage()));
        if (m.startsWith("IO Error") || m.startsWith("Invalid Input Error")) {
          throw e; // the files, not the query: a failure
        }
        throw new UsageException(m);
      }
      try (rs) {
        print(rs);
      } catch (OutOfMemoryError e) {
        throw new IllegalStateException(
            "out of memory holding the result: show fewer rows"
                + " (--max-rows) or stream them (--format=csv or json)");
      }
      out.flush();
      if (output.failure() != null && !output.readerGone()) {
        throw new IllegalStateException("cannot write the result: " + output.failure());
      }
    }
    return 0;
  }

  /**
   * Refuses anything but one read-only query: the SQL must parse as exactly one SELECT (also
   * FROM-first, WITH, VALUES, DESCRIBE, SHOW), as DuckDB's own parser says ({@code
   * json_serialize_sql}, which serializes SELECT statements only), before anything runs.
   */
  static void readOnlyQuery(Connection c, String sql) throws Exception {
    String json;
    try (PreparedStatement p = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
      p.setString(1, sql);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        json = rs.getString(1);
      }
    }
    JsonNode parsed = new ObjectMapper().readTree(json);
    if (parsed.path("error").asBoolean()) {
      String message = parsed.path("error_message").asText();
      throw new UsageException(
          message.startsWith("Only SELECT statements")
              ? "only a query is run (SELECT, FROM, WITH, VALUES, DESCRIBE or SHOW): nothing that"
                  + " writes, attaches, copies or changes a setting"
              : "SQL: " + message);
    }
    int statements = parsed.path("statements").size();
    if (statements != 1) {
      throw new UsageException("one query at a time, got " + statements + " statements");
    }
  }

  /** Another process holds the warehouse's write lock. */
  static final class WarehouseBusyException extends SQLException {
    WarehouseBusyException(String message) {
      super(message);
    }
  }

  /** The path given (which must exist), or the default when it exists, or null. */
  private static Path existing(Path given, Path fallback, String option, String missing) {
    if (given != null) {
      if (!Files.exists(given)) {
        throw new UsageException(String.format(Locale.ROOT, missing, given) + " (" + option + ")");
      }
      return given;
    }
    return Files.exists(fallback) ? fallback : null;
  }

  private static void attach(Statement s, Path file) throws SQLException {
    try {
      s.execute(
          "ATTACH " + literal(file.toAbsolutePath().toString()) + " AS warehouse (READ_ONLY)");
      s.execute("USE warehouse");
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage());
      Optional<String> holder = DuckDbWarehouse.lockHolder(e);
      if (holder.isPresent()) {
        throw new WarehouseBusyException(
            file
                + " is open for writing in another process"
                + holder.get()
                + ", such as a running"
                + " streamify local: query it once that stops, or query the lake_* views meanwhile");
      }
      throw new UsageException(file + " is not a DuckDB database (" + firstLine(m) + ")");
    }
  }

  /**
   * CREATE TEMP VIEW statements, one per lake table the SQL names ({@code lake_<table>}, so a
   * damaged file of another table does not stop the query): all of its Parquet files, listed one by
   * one (a path is never a glob), columns merged by name (files written before a column existed
   * have it null), with the hour partition's dt and hr; an empty view of the table's columns while
   * it has no file.
   */
  static List<String> lakeViews(Path lakeDir, String sql) {
    List<String> views = new ArrayList<>();
    String lower = sql.toLowerCase(Locale.ROOT);
    for (LakeTable t : LakeTable.values()) {
      if (!lower.contains("lake_" + t.tableName())) {
        continue;
      }
      List<Path> files = parquetFiles(lakeDir.resolve(t.folder()));
      if (files.isEmpty()) {
        List<String> columns = new ArrayList<>();
        for (Schema.Field f : t.schema().getFields()) {
          columns.add("CAST(NULL AS " + DuckDbWarehouse.duckType(f.schema()) + ") AS " + f.name());
        }
        views.add(
            "CREATE TEMP VIEW lake_"
                + t.tableName()
                + " AS SELECT "
                + String.join(", ", columns)
                + ", CAST(NULL AS DATE) AS dt, CAST(NULL AS INTEGER)"
                + " AS hr WHERE false");
        continue;
      }
      List<String> literals = new ArrayList<>();
      for (Path f : files) {
        literals.add(literal(f.toAbsolutePath().toString()));
      }
      views.add(
          "CREATE TEMP VIEW lake_"
              + t.tableName()
              + " AS SELECT * FROM read_parquet(["
              + String.join(", ", literals)
              + "], hive_partitioning = true,"
              + " hive_types = {'dt': DATE, 'hr': INTEGER}, union_by_name = true)");
    }
    return views;
  }

  /** The Parquet files of a table's hour partitions ({@code dt=…/hr=…/*.parquet}), sorted. */
  static List<Path> parquetFiles(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(folder, 3)) {
      return files
          .filter(
              p ->
                  p.getNameCount() == folder.getNameCount() + 3
                      && p.getFileName().toString().endsWith(".parquet")
                      && Files.isRegularFile(p))
          .sorted()
          .toList();
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
        while (output.failure() == null && rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(text(rs, i));
          }
          out.println(csvLine(row));
        }
      }
      case json -> {
        ObjectMapper json = new ObjectMapper();
        List<String> keys = uniqueNames(names);
        while (output.failure() == null && rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            row.put(
                keys.get(i - 1),
                v == null || v instanceof Number || v instanceof Boolean ? v : text(rs, i));
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
      numeric[i] =
          switch (type) {
            case Types.TINYINT,
                Types.SMALLINT,
                Types.INTEGER,
                Types.BIGINT,
                Types.FLOAT,
                Types.REAL,
                Types.DOUBLE,
                Types.DECIMAL,
                Types.NUMERIC ->
                true;
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
      width[i] = cell(names.get(i)).length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(
        line(names.stream().map(Query::cell).toArray(String[]::new), width, new boolean[n]));
    out.println(rule);
    for (String[] row : rows) {
      out.println(line(row, width, numeric));
    }
    out.println(
        total == rows.size()
            ? "(" + total + (total == 1 ? " row)" : " rows)")
            : "(" + rows.size() + " of " + total + " rows shown; --max-rows=0 shows all)");
  }

  /**
   * A value as text: a timestamp with time zone as an ISO-8601 instant in UTC ({@code
   * 2026-11-24T13:10:00Z}, seconds always shown), one without as ISO-8601 local time, anything else
   * as DuckDB writes it; null for SQL NULL.
   */
  static String text(ResultSet rs, int column) throws SQLException {
    if (rs.getObject(column) == null) {
      return null;
    }
    switch (rs.getMetaData().getColumnType(column)) {
      case Types.TIMESTAMP_WITH_TIMEZONE -> {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return infinity(t.getYear(), 290_000).orElse(t.toInstant().toString());
      }
      case Types.TIMESTAMP -> {
        // proleptic Gregorian, as DuckDB stores it (java.sql.Timestamp would switch calendars
        // in 1582 and lose the era)
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return infinity(t.getYear(), 290_000)
            .orElse(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
      }
      case Types.DATE -> {
        LocalDate d = rs.getObject(column, LocalDate.class);
        return infinity(d.getYear(), 5_000_000).orElse(d.toString());
      }
      default -> {
        return rs.getString(column);
      }
    }
  }

  /** DuckDB's infinite timestamps and dates arrive as the extreme values of their range. */
  private static Optional<String> infinity(int year, int beyond) {
    return year > beyond
        ? Optional.of("infinity")
        : year < -beyond ? Optional.of("-infinity") : Optional.empty();
  }

  /** Column names made unique for JSON keys: a second "a" becomes "a_1", as DuckDB names them. */
  static List<String> uniqueNames(List<String> names) {
    List<String> out = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (String name : names) {
      String unique = name;
      for (int i = 1; taken.contains(unique); i++) {
        unique = name + "_" + i;
      }
      taken.add(unique);
      out.add(unique);
    }
    return out;
  }

  /**
   * One line of a cell: control characters (newlines, tabs, bidi overrides) as spaces, long text
   * cut.
   */
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
