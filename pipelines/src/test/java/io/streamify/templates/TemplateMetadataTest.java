package io.streamify.templates;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.hourly.HourlyPipeline;
import io.streamify.stream.StreamPipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The committed Flex Template metadata is exactly what the Options interface says. */
public class TemplateMetadataTest {
  static final Path COMMITTED =
      Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."))
          .resolve("templates/stream-pipeline-metadata.json");

  @Test
  void committedMetadataMatchesTheOptionsInterface() throws Exception {
    String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8);
    assertThat(
        "regenerate with: java -cp ... io.streamify.templates.TemplateMetadata templates",
        committed,
        equalTo(TemplateMetadata.streamPipeline()));
    assertThat(
        "regenerate with: java -cp ... io.streamify.templates.TemplateMetadata templates",
        Files.readString(
            COMMITTED.resolveSibling("hourly-pipeline-metadata.json"), StandardCharsets.UTF_8),
        equalTo(TemplateMetadata.hourlyPipeline()));
  }

  @Test
  void theHourlyParametersAreOptionsItAccepts() throws Exception {
    JsonNode meta = new ObjectMapper().readTree(TemplateMetadata.hourlyPipeline());
    assertThat(meta.get("streaming").asBoolean(), is(false));
    List<String> args = new ArrayList<>();
    List<String> required = new ArrayList<>();
    for (JsonNode p : meta.get("parameters")) {
      String n = p.get("name").asText();
      if (!p.get("isOptional").asBoolean()) {
        required.add(n);
      }
      args.add(
          "--"
              + n
              + "="
              + switch (n) {
                case "hour", "fromHour" -> "2026-11-24T13";
                case "lookbackHours", "catchUpHours", "maxHoursPerRun" -> "2";
                case "maxRejectedShare" -> "0.1";
                case "warehouse" -> "my-project:streamify";
                default -> "gs://bucket/x";
              });
    }
    assertThat(required, equalTo(List.of("lake", "warehouse")));
    HourlyPipeline.Options o =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(HourlyPipeline.Options.class);
    HourlyPipeline.validate(o);
    assertThat(HourlyPipeline.hours(o, Instant.now()).size(), is(1));
  }

  @Test
  void everyParameterIsAnOptionBeamAccepts() throws Exception {
    JsonNode meta = new ObjectMapper().readTree(TemplateMetadata.streamPipeline());
    assertThat(meta.get("streaming").asBoolean(), is(true));
    List<String> names = new ArrayList<>();
    List<String> args = new ArrayList<>();
    for (JsonNode p : meta.get("parameters")) {
      names.add(p.get("name").asText());
      assertThat(p.get("label").asText().isEmpty(), is(false));
    }
    assertThat(
        names,
        hasItems(
            "bootstrapServers",
            "lake",
            "topics",
            "windowMinutes",
            "allowedLatenessMinutes",
            "shardsPerWindow",
            "deadLetterPath",
            "kafkaProperties",
            "consumerGroup",
            "startOffsets",
            "rewindOnStartMinutes"));
    // Every parameter name parses as an option of the pipeline (as Dataflow passes them).
    args.add("--bootstrapServers=b:9092");
    args.add("--lake=gs://bucket/lake");
    for (JsonNode p : meta.get("parameters")) {
      if (p.get("isOptional").asBoolean() && !p.get("name").asText().equals("kafkaProperties")) {
        String n = p.get("name").asText();
        args.add("--" + n + "=" + sample(n));
      }
    }
    StreamPipeline.Options o =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(StreamPipeline.Options.class);
    assertThat(o.getLake(), is("gs://bucket/lake"));
    for (JsonNode p : meta.get("parameters")) {
      boolean required = !p.get("isOptional").asBoolean();
      assertThat(
          p.get("name").asText(),
          required,
          is(List.of("bootstrapServers", "lake").contains(p.get("name").asText())));
    }
  }

  /** Each parameter's regex, by name (also for the deployment's tests). */
  public static Map<String, Pattern> regexes(String metadata) throws Exception {
    Map<String, Pattern> out = new TreeMap<>();
    for (JsonNode p : new ObjectMapper().readTree(metadata).get("parameters")) {
      assertThat(p.get("name").asText(), p.get("regexes").size(), is(1));
      out.put(p.get("name").asText(), Pattern.compile(p.get("regexes").get(0).asText()));
    }
    return out;
  }

  static boolean accepts(Map<String, Pattern> r, String name, String value) {
    return r.get(name).matcher(value).matches();
  }

  @Test
  void everyParameterHasARegexThatTakesItsDefaultAndRefusesNonsense() throws Exception {
    var stream = regexes(TemplateMetadata.streamPipeline());
    assertThat(
        stream.keySet(),
        equalTo(
            new TreeSet<>(
                List.of(
                    "allowedLatenessMinutes",
                    "bootstrapServers",
                    "consumerGroup",
                    "deadLetterPath",
                    "kafkaProperties",
                    "idleTimeoutSeconds",
                    "kafkaPropertiesSecret",
                    "kafkaReader",
                    "lake",
                    "lateFiringDelaySeconds",
                    "launchId",
                    "maxEventAheadMinutes",
                    "maxOutOfOrdernessSeconds",
                    "maxRecordBytes",
                    "rewindOnStartMinutes",
                    "shardsPerWindow",
                    "startOffsets",
                    "topicPrefix",
                    "topics",
                    "windowMinutes"))));
    StreamPipeline.Options d =
        PipelineOptionsFactory.fromArgs("--bootstrapServers=b:9092", "--lake=gs://bucket/lake")
            .as(StreamPipeline.Options.class);
    for (var e :
        Map.of(
                "topics",
                d.getTopics(),
                "topicPrefix",
                d.getTopicPrefix(),
                "consumerGroup",
                d.getConsumerGroup(),
                "startOffsets",
                d.getStartOffsets(),
                "deadLetterPath",
                d.getDeadLetterPath(),
                "windowMinutes",
                "" + d.getWindowMinutes(),
                "allowedLatenessMinutes",
                "" + d.getAllowedLatenessMinutes(),
                "maxRecordBytes",
                "" + d.getMaxRecordBytes(),
                "kafkaReader",
                d.getKafkaReader(),
                "launchId",
                d.getLaunchId())
            .entrySet()) {
      assertThat(
          e.getKey() + " default " + e.getValue(),
          accepts(stream, e.getKey(), e.getValue()),
          is(true));
    }
    assertThat(accepts(stream, "maxEventAheadMinutes", "" + d.getMaxEventAheadMinutes()), is(true));
    assertThat(accepts(stream, "idleTimeoutSeconds", "" + d.getIdleTimeoutSeconds()), is(true));
    assertThat(accepts(stream, "idleTimeoutSeconds", "0"), is(false));
    assertThat(
        accepts(
            stream,
            "bootstrapServers",
            "bootstrap.kafka.europe-west1.managedkafka" + ".my-project.cloud.goog:9092"),
        is(true));
    assertThat(accepts(stream, "bootstrapServers", "no port"), is(false));
    assertThat(accepts(stream, "lake", "gs://my-lake/streamify"), is(true));
    assertThat(accepts(stream, "lake", "/tmp/lake"), is(false));
    assertThat(accepts(stream, "windowMinutes", "7"), is(false));
    assertThat(accepts(stream, "kafkaProperties", "security.protocol=SASL_SSL"), is(true));

    var hourly = regexes(TemplateMetadata.hourlyPipeline());
    assertThat(
        hourly.keySet(),
        equalTo(
            new TreeSet<>(
                List.of(
                    "catalog",
                    "catchUpHours",
                    "fromHour",
                    "hour",
                    "lake",
                    "lookbackHours",
                    "maxHoursPerRun",
                    "maxRejectedShare",
                    "warehouse"))));
    assertThat(accepts(hourly, "maxRejectedShare", "0.05"), is(true));
    assertThat(accepts(hourly, "maxRejectedShare", "1.5"), is(false));
    assertThat(accepts(hourly, "catchUpHours", "168"), is(true));
    assertThat(accepts(hourly, "hour", ""), is(true));
    assertThat(accepts(hourly, "hour", "2026-11-24T13"), is(true));
    assertThat(accepts(hourly, "hour", "2026-11-24 13:00"), is(false));
    assertThat(accepts(hourly, "lookbackHours", "1"), is(true));
    assertThat(accepts(hourly, "warehouse", "my-project:streamify"), is(true));
    assertThat(accepts(hourly, "warehouse", "warehouse.duckdb"), is(false));
    assertThat(accepts(hourly, "catalog", ""), is(true));
  }

  private static String sample(String name) {
    return switch (name) {
      case "startOffsets" -> "latest";
      case "topics" -> StreamPipeline.ALL_TOPICS;
      case "topicPrefix", "deadLetterPath", "launchId", "consumerGroup" -> "x";
      default -> "2";
    };
  }
}
