package io.streamify.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket, with the
 * JDK's client): navigate, evaluate JavaScript in the page, take screenshots. {@code CHROMIUM}
 * names another binary.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> log = new ArrayList<>();

  private HeadlessChromium(Process process, String pageSocket) throws Exception {
    this.process = process;
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create(pageSocket), new Listener())
            .get(30, TimeUnit.SECONDS);
  }

  static String binary() {
    String b = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(b))) {
      throw new IllegalStateException(
          "the dashboard test needs Chromium at "
              + b
              + " (apt-get install chromium, as .ci/run does; or set CHROMIUM)");
    }
    return b;
  }

  public static HeadlessChromium start(Path profile, int width, int height) throws Exception {
    Process p =
        new ProcessBuilder(
                binary(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader err =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    String browserSocket = null;
    List<String> seen = new ArrayList<>();
    for (String line; (line = err.readLine()) != null; ) {
      seen.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        browserSocket = m.group(1);
        break;
      }
    }
    if (browserSocket == null) {
      p.destroyForcibly();
      throw new IOException("Chromium did not start: " + String.join("\n", seen));
    }
    Thread drain = new Thread(() -> err.lines().forEach(l -> {}), "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    URI browser = URI.create(browserSocket);
    HttpResponse<String> targets =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://" + browser.getHost() + ":" + browser.getPort() + "/json/list"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (JsonNode t : JSON.readTree(targets.body())) {
      if (t.path("type").asText().equals("page")) {
        return new HeadlessChromium(p, t.path("webSocketDebuggerUrl").asText());
      }
    }
    p.destroyForcibly();
    throw new IOException("Chromium has no page target: " + targets.body());
  }

  /** Sends a DevTools command and waits for its result. */
  JsonNode send(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket
        .sendText(
            JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
        .get(10, TimeUnit.SECONDS);
    JsonNode reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IOException(method + ": " + reply.get("error"));
    }
    return reply.path("result");
  }

  public void navigate(String url) throws Exception {
    send("Page.navigate", Map.of("url", url));
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  public JsonNode eval(String expression) throws Exception {
    JsonNode r =
        send(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IOException("page script failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Polls a boolean expression until it is true. */
  public void waitFor(String condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    // A page still loading has no body yet: a failing condition counts as false.
    while (!eval("(() => { try { return Boolean("
            + condition
            + "); } catch (e) { return false; }"
            + " })()")
        .asBoolean(false)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting for "
                + condition
                + "; page state "
                + eval("document.body ? document.body.dataset.state + ' ' +"
                        + " document.getElementById('status').textContent : 'no body'")
                    .asText());
      }
      Thread.sleep(100);
    }
  }

  public byte[] screenshot() throws Exception {
    return Base64.getDecoder()
        .decode(send("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
  }

  @Override
  public void close() {
    socket.abort();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        try {
          JsonNode node = JSON.readTree(message.toString());
          if (node.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(node.get("id").asInt());
            if (f != null) {
              f.complete(node);
            }
          }
        } catch (IOException e) {
          log.add("unreadable DevTools message: " + e);
        }
        message.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}
