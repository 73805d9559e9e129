package io.streamify.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamify.cli.VersionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dashboard: a page on localhost (charts by Apache ECharts, which the build fetches from the
 * npm registry and serves from the classpath, so it works offline) and a small JSON API that runs
 * the {@code sql/dashboard} queries on the warehouse.
 *
 * <pre>
 * GET /                 the page           GET /api/meta       the warehouse's days, states
 * GET /assets/...       script, styles     GET /api/dashboard  ?from=YYYY-MM-DD&amp;to=...&amp;state=CA
 * </pre>
 *
 * <p>The API answers only its own page: a request whose {@code Host} is not this server on the
 * loopback (a DNS-rebound name), whose {@code Origin} is another site's, or that a browser marks
 * {@code Sec-Fetch-Site: cross-site|same-site} is refused with 403 and one log line, before any
 * query runs (on BigQuery each query is a scan billed to the user). Periods are capped at {@link
 * DashboardQueries#MAX_DAYS} days.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  private static final String WEB = "/io/streamify/dashboard/web/";

  /** Apache ECharts, unpacked by the build from the npm registry (pipelines/pom.xml). */
  private static final String ECHARTS = WEB + "echarts/echarts.min.js";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Dashboard dashboard;

  private DashboardServer(HttpServer server, Dashboard dashboard) {
    this.server = server;
    this.dashboard = dashboard;
  }

  /**
   * Serves the dashboard on 127.0.0.1:port (0 = a free port).
   *
   * @throws BindException when the port is taken
   */
  public static DashboardServer start(Dashboard dashboard, int port) throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 32);
    DashboardServer s = new DashboardServer(http, dashboard);
    http.createContext("/", s::handle);
    http.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "dashboard-http");
              t.setDaemon(true);
              return t;
            }));
    http.start();
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://localhost:" + port() + "/";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      switch (path) {
        case "/", "/index.html" -> resource(exchange, WEB + "index.html", "text/html");
        case "/assets/app.js" -> resource(exchange, WEB + "app.js", "text/javascript");
        case "/assets/style.css" -> resource(exchange, WEB + "style.css", "text/css");
        case "/assets/echarts.min.js" -> resource(exchange, ECHARTS, "text/javascript");
        case "/api/meta", "/api/dashboard" -> {
          if (method.equals("HEAD")) { // no query for a request that discards its answer
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
            return;
          }
          String refused = refusal(exchange);
          if (refused != null) {
            LOG.warn("refused {} {}: {}", exchange.getRequestMethod(), path, refused);
            send(exchange, 403, "application/json", json(Map.of("error", "refused: " + refused)));
            return;
          }
          if (path.equals("/api/meta")) {
            api(exchange, () -> dashboard.meta());
          } else {
            api(exchange, () -> dashboard.data(dashboard.filter(query(exchange))));
          }
        }
        default ->
            send(
                exchange,
                404,
                "text/plain",
                ("not found: " + path + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * The Host (and Origin) values of this server's own page: it listens on 127.0.0.1 only, so the
   * names a browser reaches it by, with the port, or without it when it is HTTP's own, 80.
   */
  static Set<String> ownHosts(int port) {
    return port == 80
        ? Set.of("localhost:80", "127.0.0.1:80", "localhost", "127.0.0.1")
        : Set.of("localhost:" + port, "127.0.0.1:" + port);
  }

  /** Why a request is not from this dashboard's own page, or null when it is. */
  private String refusal(HttpExchange exchange) {
    int port = port();
    Set<String> own = ownHosts(port);
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null || !own.contains(host.toLowerCase(Locale.ROOT))) {
      return "Host " + host + " is not this dashboard (" + url() + ")";
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null
        && !(origin.startsWith("http://")
            && own.contains(origin.substring(7).toLowerCase(Locale.ROOT)))) {
      return "a page of " + origin + " may not use this dashboard's API";
    }
    String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return "a " + site + " request may not use this dashboard's API";
    }
    return null;
  }

  private void api(HttpExchange exchange, Callable<Object> body) throws IOException {
    try {
      send(exchange, 200, "application/json", json(body.call()));
    } catch (IllegalArgumentException e) {
      send(
          exchange, 400, "application/json", json(Map.of("error", String.valueOf(e.getMessage()))));
    } catch (DuckDbQueries.WarehouseBusyException e) {
      send(
          exchange, 503, "application/json", json(Map.of("error", String.valueOf(e.getMessage()))));
    } catch (Exception e) {
      LOG.warn("dashboard query failed: {}", e.toString());
      send(
          exchange, 500, "application/json", json(Map.of("error", String.valueOf(e.getMessage()))));
    }
  }

  /** A JSON body, ending in a newline as text a terminal (curl) shows should. */
  private static byte[] json(Object value) throws IOException {
    return (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        if (kv.isEmpty()) {
          continue;
        }
        String[] p = kv.split("=", 2);
        q.put(
            URLDecoder.decode(p[0], StandardCharsets.UTF_8),
            p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
      }
    }
    return q;
  }

  private static void resource(HttpExchange exchange, String name, String type) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
      if (in == null) {
        send(
            exchange,
            404,
            "text/plain",
            ("missing " + name + "\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      send(exchange, 200, type + "; charset=utf-8", in.readAllBytes());
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    // A second line of defence behind escaping: only our own scripts run, no inline script or
    // handler, and no other site may frame the page. (ECharts styles its tooltips inline.)
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self';"
                + " script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    if (exchange.getRequestMethod().equals("HEAD")) {
      // The headers a GET would get, no body (the JDK server then sends no Content-Length).
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** {@code streamify dashboard}: the dashboard alone, on a DuckDB file or a BigQuery dataset. */
  @Command(
      name = "streamify dashboard",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      usageHelpWidth = 100,
      customSynopsis = "streamify dashboard --warehouse=FILE.duckdb|PROJECT:DATASET [OPTIONS]",
      description = "Serve the dashboard of a warehouse until Ctrl-C.")
  static final class Cli implements Callable<Integer> {
    @Option(
        names = "--warehouse",
        required = true,
        paramLabel = "FILE.duckdb|PROJECT:DATASET",
        description = {
          "The warehouse: a DuckDB file or a BigQuery dataset.",
          "e.g. --warehouse=streamify-data/warehouse.duckdb"
        })
    String warehouse;

    @Option(
        names = "--port",
        paramLabel = "N",
        description = {
          "Port on 127.0.0.1 (default:" + " ${DEFAULT-VALUE}; 0 = a free one).",
          "e.g. --port=8081"
        })
    int port = 8080;

    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
      if (port < 0 || port > 65535) {
        err.println("streamify dashboard: --port must be 0..65535, got " + port);
        return 2;
      }
      if (warehouse.endsWith(".duckdb") && !Files.exists(Path.of(warehouse))) {
        err.println(
            "streamify dashboard: no warehouse at "
                + warehouse
                + " (run streamify local or streamify hourly first)");
        return 2;
      }
      WarehouseQueries queries;
      try {
        queries = WarehouseQueries.open(warehouse);
      } catch (IllegalArgumentException e) {
        err.println("streamify dashboard: " + e.getMessage());
        return 2;
      }
      DashboardServer server;
      try {
        server = start(new Dashboard(queries), port);
      } catch (BindException e) {
        queries.close();
        err.println("streamify dashboard: port " + port + " is already in use (--port)");
        return 2;
      }
      err.println(
          "streamify dashboard: "
              + queries.description()
              + " at "
              + server.url()
              + " (Ctrl-C stops)");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stop.countDown();
                  }));
      stop.await();
      return 0;
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  /**
   * {@code streamify dashboard}: serves until Ctrl-C, then returns 0; returns 2 at once for a usage
   * mistake (a warehouse that is not there or malformed, a taken port), 1 for a failure, each one
   * line on {@code err}.
   */
  public static int run(String[] args, PrintStream err) {
    Cli cli = new Cli();
    cli.err = err;
    CommandLine cmd = new CommandLine(cli);
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("streamify dashboard: " + ex.getMessage() + " (see --help)");
          return 2;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          err.println("streamify dashboard: " + ex.getMessage());
          return 1;
        });
    return cmd.execute(args);
  }
}
