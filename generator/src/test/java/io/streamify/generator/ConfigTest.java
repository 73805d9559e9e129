package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamify.generator.config.ConfigException;
import io.streamify.generator.config.ConfigLoader;
import io.streamify.generator.config.SimConfig;
import io.streamify.generator.events.Topic;
import io.streamify.generator.model.PageModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** eventsim's config format, read unchanged; inconsistent configs are refused with a reason. */
class ConfigTest {

  static Stream<Path> eventsimConfigs() throws IOException {
    try (Stream<Path> s = Files.list(Generated.fixture("eventsim"))) {
      List<Path> configs = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      assertThat(configs.size(), is(3));
      return configs.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("eventsimConfigs")
  void everyEventsimFixtureConfigLoadsAndSimulates(Path config, @TempDir Path out) {
    SimConfig c = ConfigLoader.load(config);
    new PageModel(c);
    Generated g =
        Generated.run(
            out,
            "-n",
            "1500",
            "-c",
            config.toString(),
            "--growth-rate",
            "20",
            "--start",
            "2026-11-24",
            "-q");
    assertThat(g.of(Topic.PAGE_VIEW).size(), greaterThan(2000));
    assertThat(g.of(Topic.LISTEN).size(), greaterThan(1000));
    assertThat(g.of(Topic.AUTH).size(), greaterThan(10));
  }

  @Test
  void exampleConfigValuesAreReadAsEventsimReadsThem() {
    SimConfig c = ConfigLoader.load(Generated.fixture("eventsim/example-config.json"));
    assertThat(c.alpha(), is(90.0));
    assertThat(c.beta(), is(604800.0));
    assertThat(c.damping(), is(0.09375));
    assertThat(c.weekendDamping(), is(0.5));
    assertThat(c.weekendDampingOffsetMinutes(), is(180));
    assertThat(c.weekendDampingScaleMinutes(), is(360));
    assertThat(c.sessionGapSeconds(), is(1800));
    assertThat(c.churnedState(), is(Optional.of("Cancelled")));
    assertThat(c.seed(), is(Optional.of(1L)));
    assertThat(c.newUserAuth(), is("Guest"));
    assertThat(c.newUserLevel(), is("free"));
    assertThat(c.transitions().size(), is(198));
    assertThat(c.newSession().size(), is(25));
    assertThat(c.levels().get("paid"), is(2.0));
    assertThat(c.showUserDetails().get("Logged Out"), is(false));
  }

  @Test
  void builtInDefaultConfigIsValid() {
    SimConfig c = ConfigLoader.loadDefault();
    PageModel m = new PageModel(c);
    assertThat(m.size(), greaterThan(40));
    assertThat(m.canStartSession(m.newUserAuth(), m.newUserLevel()), is(true));
  }

  static String base() {
    return """
        {"alpha": 60, "beta": 3600, "churned-state": "Cancelled",
         "show-user-details": [{"auth": "Logged In", "show": true}],
         "levels": [{"level": "free", "weight": 1}],
         "auths": [{"auth": "Logged In", "weight": 1}],
         "new-session": [{"page": "Home", "method": "GET", "status": 200, "auth": "Logged In",
                          "level": "free", "weight": 1}],
         "transitions": [
           {"source": {"page": "Home", "method": "GET", "status": 200, "auth": "Logged In", "level": "free"},
            "dest": {"page": "NextSong", "method": "PUT", "status": 200, "auth": "Logged In", "level": "free"},
            "p": 0.6},
           {"source": {"page": "NextSong", "method": "PUT", "status": 200, "auth": "Logged In", "level": "free"},
            "dest": {"page": "Home", "method": "GET", "status": 200, "auth": "Logged In", "level": "free"},
            "p": 0.5}]}
        """;
  }

  @Test
  void aMinimalHandWrittenConfigIsAccepted() {
    new PageModel(ConfigLoader.parse(base().getBytes(StandardCharsets.UTF_8), "test"));
  }

  static Stream<String[]> badConfigs() {
    return Stream.of(
        new String[] {"{\"alpha\": 60,", "is not valid JSON"},
        new String[] {base().replace("\"beta\"", "\"betta\""), "unknown key \"betta\""},
        new String[] {
          base().replace("\"alpha\": 60", "\"alpha\": \"sixty\""), "\"alpha\" must be a number"
        },
        new String[] {
          base()
              .replace(
                  "\"p\": 0.6",
                  "\"p\": 0.6}, {\"source\": {\"page\": \"Home\","
                      + " \"method\": \"GET\", \"status\": 200, \"auth\": \"Logged In\", \"level\":"
                      + " \"free\"}, \"dest\": {\"page\": \"About\", \"auth\": \"Logged In\", \"level\":"
                      + " \"free\"}, \"p\": 0.5"),
          "sum to 1.1 (> 1)"
        },
        new String[] {base().replace("\"p\": 0.5", "\"p\": 1.5"), "probability must be in [0, 1]"},
        new String[] {
          base()
              .replace(
                  "\"new-session\": [",
                  "\"new-session\": [{\"page\":"
                      + " \"Nowhere\", \"auth\": \"Logged In\", \"level\": \"free\", \"weight\": 1}, "),
          "unknown state"
        },
        new String[] {
          base().replace("[{\"auth\": \"Logged In\", \"show\": true}]", "[]"),
          "no \"show-user-details\" entry for auth \"Logged In\""
        },
        new String[] {
          base()
              .replace(
                  "\"levels\": [{\"level\": \"free\", \"weight\": 1}]",
                  "\"levels\": [{\"level\": \"free\", \"weight\": 1}, {\"level\": \"paid\", \"weight\": 1}]"),
          "no \"new-session\" entry starts a session"
        },
        new String[] {"[1, 2]", "must be a JSON object"});
  }

  @ParameterizedTest
  @MethodSource("badConfigs")
  void inconsistentConfigsAreRefusedWithTheReason(String json, String reason) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                new PageModel(
                    ConfigLoader.parse(json.getBytes(StandardCharsets.UTF_8), "bad.json")));
    assertThat(e.getMessage(), containsString(reason));
    assertThat(e.getMessage().contains("\n"), is(false));
  }

  @Test
  void configKeysOverriddenByOptionsAndReadFromTheConfigOtherwise(@TempDir Path dir)
      throws IOException {
    Path cfg = dir.resolve("c.json");
    Files.writeString(
        cfg,
        base()
            .replace(
                "\"alpha\": 60",
                "\"alpha\": 60, \"first-user-id\": 900,"
                    + " \"start-date\": \"2026-11-24T00:00:00\", \"end-date\": \"2026-11-24T06:00:00\""));
    Generated g = Generated.run(dir.resolve("out"), "-n", "50", "-c", cfg.toString(), "-q");
    long minId =
        g.of(Topic.PAGE_VIEW).stream().mapToLong(e -> e.get("userId").asLong()).min().orElseThrow();
    assertThat(minId >= 900 && minId < 950, is(true));
    long maxTs =
        g.of(Topic.PAGE_VIEW).stream().mapToLong(e -> e.get("ts").asLong()).max().orElseThrow();
    assertThat(maxTs < GeneratorCli.parseTime("", "2026-11-24T06:00"), is(true));
    assertThat(
        g.of(Topic.PAGE_VIEW).get(0).get("ts").asLong() >= GeneratorCli.parseTime("", "2026-11-24"),
        is(true));
    assertThat(ConfigLoader.load(cfg).firstUserId(), equalTo(Optional.of(900L)));
  }
}
