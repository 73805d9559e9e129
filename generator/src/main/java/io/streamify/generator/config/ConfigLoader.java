package io.streamify.generator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads eventsim's config JSON unchanged. Unlike eventsim it checks what it reads: an unknown key
 * (usually a typo), a wrong type or a missing field is a {@link ConfigException} naming the place.
 * Semantic checks (probabilities, unknown states) happen when the model is compiled.
 */
public final class ConfigLoader {
  /** The built-in default config, written for Streamify in eventsim's format. */
  public static final String DEFAULT_RESOURCE = "/io/streamify/generator/default-config.json";

  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "seed",
          "alpha",
          "beta",
          "damping",
          "weekend-damping",
          "weekend-damping-offset",
          "weekend-damping-scale",
          "session-gap",
          "churned-state",
          "show-user-details",
          "levels",
          "auths",
          "new-user-auth",
          "new-user-level",
          "new-session",
          "transitions",
          "upgrades",
          "downgrades",
          "start-date",
          "end-date",
          "n-users",
          "first-user-id",
          "growth-rate",
          "tag");

  // eventsim's defaults for optional keys (its Constants object).
  private static final double DEFAULT_ALPHA = 60.0;
  private static final double DEFAULT_BETA = 3 * 86400.0;
  private static final double DEFAULT_DAMPING = 0.0625;
  private static final double DEFAULT_WEEKEND_DAMPING = 0.5;
  private static final int DEFAULT_WEEKEND_DAMPING_OFFSET = 180;
  private static final int DEFAULT_WEEKEND_DAMPING_SCALE = 360;
  private static final int DEFAULT_SESSION_GAP = 1800;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ConfigLoader() {}

  public static SimConfig load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config " + path + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config " + path + ": " + e.getMessage());
    }
    return parse(bytes, path.toString());
  }

  public static SimConfig loadDefault() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      return parse(in.readAllBytes(), "built-in default config");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SimConfig parse(byte[] json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new ConfigException(
          "config " + source + " is not valid JSON: " + e.getOriginalMessage() + where);
    } catch (IOException e) {
      throw new ConfigException("cannot read config " + source + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("config " + source + " must be a JSON object");
    }
    return new Reader(root, source).read();
  }

  /** Walks one config tree, naming the offending key in every error. */
  private static final class Reader {
    private final JsonNode root;
    private final String source;

    Reader(JsonNode root, String source) {
      this.root = root;
      this.source = source;
    }

    SimConfig read() {
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!KNOWN_KEYS.contains(key)) {
          throw error("unknown key \"" + key + "\"");
        }
      }
      double alpha = positive("alpha", DEFAULT_ALPHA);
      double beta = positive("beta", DEFAULT_BETA);
      double damping = number(root, "damping", DEFAULT_DAMPING);
      if (damping < 0 || damping * 2 * Math.PI >= 1) {
        // The daily warp t + d*day*sin(...) must stay monotonic, i.e. 2*pi*d < 1.
        throw error("\"damping\" must be in [0, " + (1 / (2 * Math.PI)) + "), got " + damping);
      }
      double weekendDamping = number(root, "weekend-damping", DEFAULT_WEEKEND_DAMPING);
      if (weekendDamping < 0 || weekendDamping > 1) {
        throw error("\"weekend-damping\" must be in [0, 1], got " + weekendDamping);
      }
      int offset = (int) number(root, "weekend-damping-offset", DEFAULT_WEEKEND_DAMPING_OFFSET);
      int scale = (int) number(root, "weekend-damping-scale", DEFAULT_WEEKEND_DAMPING_SCALE);
      if (scale <= 0 || offset < 0) {
        throw error("\"weekend-damping-scale\" must be > 0 and \"weekend-damping-offset\" >= 0");
      }
      int sessionGap = (int) number(root, "session-gap", DEFAULT_SESSION_GAP);
      if (sessionGap < 0) {
        throw error("\"session-gap\" must be >= 0");
      }

      Map<String, Boolean> show = new LinkedHashMap<>();
      for (JsonNode item : array(root, "show-user-details")) {
        show.put(text(item, "auth", "show-user-details"), bool(item, "show", "show-user-details"));
      }
      Map<String, Double> levels = weights("levels", "level");
      Map<String, Double> auths = weights("auths", "auth");

      List<SimConfig.Weighted> newSession = new ArrayList<>();
      for (JsonNode item : array(root, "new-session")) {
        double w = number(item, "weight", Double.NaN);
        if (!(w >= 0)) {
          throw error("every \"new-session\" entry needs a \"weight\" >= 0: " + item);
        }
        newSession.add(new SimConfig.Weighted(state(item, "new-session"), w));
      }
      List<SimConfig.Transition> transitions = transitions("transitions");
      // eventsim accepts but never uses these; we read them so that a malformed one is reported.
      transitions("upgrades");
      transitions("downgrades");

      return new SimConfig(
          alpha,
          beta,
          damping,
          weekendDamping,
          offset,
          scale,
          sessionGap,
          optionalText("churned-state"),
          optionalNumber("seed").map(Double::longValue),
          show,
          levels,
          auths,
          optionalText("new-user-auth").orElse("Logged In"),
          optionalText("new-user-level").orElse("free"),
          newSession,
          transitions,
          optionalText("start-date"),
          optionalText("end-date"),
          optionalNumber("n-users").map(Double::intValue),
          optionalNumber("first-user-id").map(Double::longValue),
          optionalNumber("growth-rate"),
          optionalText("tag"));
    }

    private List<SimConfig.Transition> transitions(String key) {
      List<SimConfig.Transition> out = new ArrayList<>();
      for (JsonNode t : array(root, key)) {
        JsonNode src = t.get("source");
        JsonNode dst = t.get("dest");
        if (src == null || !src.isObject() || dst == null || !dst.isObject()) {
          throw error("every \"" + key + "\" entry needs \"source\" and \"dest\" objects: " + t);
        }
        double p = number(t, "p", Double.NaN);
        if (!(p >= 0 && p <= 1)) {
          throw error(
              "\"" + key + "\" probability must be in [0, 1], got " + t.get("p") + " in " + t);
        }
        out.add(new SimConfig.Transition(state(src, key), state(dst, key), p));
      }
      return out;
    }

    private Map<String, Double> weights(String key, String nameField) {
      Map<String, Double> out = new LinkedHashMap<>();
      for (JsonNode item : array(root, key)) {
        double w = number(item, "weight", Double.NaN);
        if (!(w >= 0)) {
          throw error("every \"" + key + "\" entry needs a \"weight\" >= 0: " + item);
        }
        out.put(text(item, nameField, key), w);
      }
      return out;
    }

    private PageState state(JsonNode node, String where) {
      String page = text(node, "page", where);
      String auth = text(node, "auth", where);
      JsonNode status = node.get("status");
      if (status != null && !status.isNumber()) {
        throw error("\"status\" must be a number in " + where + ": " + node);
      }
      return new PageState(
          page,
          auth,
          status == null ? 0 : status.asInt(),
          optional(node, "method", where),
          optional(node, "level", where));
    }

    private String optional(JsonNode node, String field, String where) {
      JsonNode v = node.get(field);
      if (v == null) {
        return "";
      }
      if (!v.isTextual()) {
        throw error("\"" + field + "\" must be a string in " + where + ": " + node);
      }
      return v.asText();
    }

    private double positive(String key, double dflt) {
      double v = number(root, key, dflt);
      if (!(v > 0)) {
        throw error("\"" + key + "\" must be > 0, got " + v);
      }
      return v;
    }

    private double number(JsonNode node, String key, double dflt) {
      JsonNode v = node.get(key);
      if (v == null) {
        return dflt;
      }
      if (!v.isNumber()) {
        throw error("\"" + key + "\" must be a number, got " + v);
      }
      return v.asDouble();
    }

    private Optional<Double> optionalNumber(String key) {
      return root.has(key) ? Optional.of(number(root, key, 0)) : Optional.empty();
    }

    private Optional<String> optionalText(String key) {
      JsonNode v = root.get(key);
      if (v == null) {
        return Optional.empty();
      }
      if (!v.isTextual()) {
        throw error("\"" + key + "\" must be a string, got " + v);
      }
      return Optional.of(v.asText());
    }

    private String text(JsonNode node, String key, String where) {
      JsonNode v = node.get(key);
      if (v == null || !v.isTextual()) {
        throw error("every \"" + where + "\" entry needs a string \"" + key + "\": " + node);
      }
      return v.asText();
    }

    private boolean bool(JsonNode node, String key, String where) {
      JsonNode v = node.get(key);
      if (v == null || !v.isBoolean()) {
        throw error("every \"" + where + "\" entry needs a boolean \"" + key + "\": " + node);
      }
      return v.asBoolean();
    }

    private Iterable<JsonNode> array(JsonNode node, String key) {
      JsonNode v = node.get(key);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw error("\"" + key + "\" must be an array");
      }
      List<JsonNode> items = new ArrayList<>();
      for (JsonNode item : v) {
        if (!item.isObject()) {
          throw error("\"" + key + "\" entries must be objects, got " + item);
        }
        items.add(item);
      }
      return items;
    }

    private ConfigException error(String what) {
      return new ConfigException("config " + source + ": " + what);
    }
  }
}
