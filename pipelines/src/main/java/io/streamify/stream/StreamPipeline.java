package io.streamify.stream;

import io.streamify.cli.Example;
import io.streamify.cli.OptionsHelp;
import io.streamify.cli.TemplateParameter;
import io.streamify.cli.TemplateParameter.Regex;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The stream pipeline: the four event topics from Kafka, parsed and validated, in two-minute
 * event-time windows, to hour-partitioned Parquet in the lake; bad records to the dead letter.
 *
 * <pre>
 * Kafka ─ReadEventTopics─▶ ParseKafkaRecords ─events──────┐
 *                                           └─dead letters─┴▶ WindowForLake ▶ WriteLakeFiles
 *                                                                               ▶ MarkClosedHours
 * </pre>
 *
 * Runs unchanged on the DirectRunner and on Dataflow ({@code --runner=DataflowRunner}); the {@link
 * Options} are also the Flex Template's parameters.
 */
public final class StreamPipeline {
  public static final String ALL_TOPICS =
      "listen_events,page_view_events,auth_events,status_change_events";

  /** The pipeline's parameters; also the Flex Template contract. */
  public interface Options extends PipelineOptions, StreamingOptions {
    @Description("Kafka bootstrap servers, host:port[,host:port...]")
    @Validation.Required
    @TemplateParameter(regex = "^[A-Za-z0-9._-]+:[0-9]{1,5}(,[A-Za-z0-9._-]+:[0-9]{1,5})*$")
    @Example("localhost:9092")
    String getBootstrapServers();

    void setBootstrapServers(String value);

    @Description("Event topics to read, comma-separated (without the prefix)")
    @Default.String(ALL_TOPICS)
    @TemplateParameter(regex = "^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$")
    String getTopics();

    void setTopics(String value);

    @Description("Prefix of the topic names, as given to the generator's --topic-prefix")
    @Default.String("")
    @TemplateParameter(regex = "^[A-Za-z0-9._-]*$")
    @Example("prod_")
    String getTopicPrefix();

    void setTopicPrefix(String value);

    @Description(
        "Kafka consumer group; offsets are committed to it once the records are"
            + " written to the lake, and a new launch starts from them")
    @Default.String("streamify-stream")
    @TemplateParameter(regex = "^[A-Za-z0-9._-]+$")
    String getConsumerGroup();

    void setConsumerGroup(String value);

    @Description("Where a new consumer group starts: earliest or latest")
    @Default.String("earliest")
    @TemplateParameter(regex = "^(earliest|latest)$")
    String getStartOffsets();

    void setStartOffsets(String value);

    @Description(
        "Extra Kafka consumer settings (SASL/TLS ...) as comma-separated key=value"
            + " items (default: none)")
    @TemplateParameter(regex = "^[A-Za-z0-9._-]+=.*$")
    @Example("security.protocol=SASL_SSL,sasl.mechanism=PLAIN")
    List<String> getKafkaProperties();

    void setKafkaProperties(List<String> value);

    @Description(
        "A Secret Manager secret version, projects/P/secrets/S/versions/V, holding more"
            + " Kafka client settings (SASL/TLS credentials), one key=value per line; each process"
            + " that connects reads it then, so it is never in the job's options")
    @Default.String("")
    @TemplateParameter(regex = "^(projects/[^/]+/secrets/[^/]+/versions/[^/]+)?$")
    @Example("projects/my-project/secrets/kafka-client/versions/latest")
    String getKafkaPropertiesSecret();

    void setKafkaPropertiesSecret(String value);

    @Description("The data lake root: gs://bucket/prefix or a local folder")
    @Validation.Required
    @TemplateParameter(regex = Regex.GCS)
    @Example("gs://my-bucket/lake")
    String getLake();

    void setLake(String value);

    @Description("Where dead letters go (default: <lake>/deadletter)")
    @Default.String("")
    @TemplateParameter(regex = Regex.GCS_OR_EMPTY)
    @Example("gs://my-bucket/deadletter")
    String getDeadLetterPath();

    void setDeadLetterPath(String value);

    @Description("Window size in minutes; must divide an hour")
    @Default.Integer(2)
    @TemplateParameter(regex = "^(1|2|3|4|5|6|10|12|15|20|30|60)$")
    Integer getWindowMinutes();

    void setWindowMinutes(Integer value);

    @Description(
        "How late (event time behind the watermark) an event may be and still go to its"
            + " window's late pane, in minutes; a later one is written to an arrival file of its hour"
            + " instead, which reopens the hour for the hourly job (nothing is dropped)")
    @Default.Integer(60)
    @TemplateParameter(regex = Regex.NON_NEGATIVE)
    Integer getAllowedLatenessMinutes();

    void setAllowedLatenessMinutes(Integer value);

    @Description("Late data is batched: a late pane fires this many seconds after its first event")
    @Default.Integer(30)
    @TemplateParameter(regex = Regex.NON_NEGATIVE)
    Integer getLateFiringDelaySeconds();

    void setLateFiringDelaySeconds(Integer value);

    @Description("Parquet files per table, hour window and pane")
    @Default.Integer(1)
    @TemplateParameter(regex = Regex.POSITIVE)
    Integer getShardsPerWindow();

    void setShardsPerWindow(Integer value);

    @Description("How far behind the newest event the watermark of a busy partition stays, seconds")
    @Default.Integer(15)
    @TemplateParameter(regex = Regex.NON_NEGATIVE)
    Integer getMaxOutOfOrdernessSeconds();

    void setMaxOutOfOrdernessSeconds(Integer value);

    @Description(
        "How far ahead of the pipeline's clock an event's ts may be, in minutes; one"
            + " further ahead goes to the dead letter (ts_in_future) and never moves the watermark")
    @Default.Integer(60)
    @TemplateParameter(regex = Regex.NON_NEGATIVE)
    Integer getMaxEventAheadMinutes();

    void setMaxEventAheadMinutes(Integer value);

    @Description(
        "After how many seconds without a record on any partition the watermark follows"
            + " the wall clock; records that arrive behind it later go to arrival files")
    @Default.Integer(10)
    @TemplateParameter(regex = Regex.POSITIVE)
    Integer getIdleTimeoutSeconds();

    void setIdleTimeoutSeconds(Integer value);

    @Description("Records larger than this many bytes go to the dead letter")
    @Default.Integer(1 << 20)
    @TemplateParameter(regex = Regex.POSITIVE)
    Integer getMaxRecordBytes();

    void setMaxRecordBytes(Integer value);

    @Description(
        "Before starting, move the consumer group's committed offsets back by this many"
            + " minutes of record time, to read again what is already in the lake (0 = off, the"
            + " default: offsets are committed only once the records are written, so a job stopped"
            + " at any moment loses nothing without it; duplicates are removed downstream)")
    @Default.Integer(0)
    @TemplateParameter(regex = Regex.NON_NEGATIVE)
    Integer getRewindOnStartMinutes();

    void setRewindOnStartMinutes(Integer value);

    @Description(
        "How Kafka is read: kafkaio (Beam's KafkaIO, batched per bundle), batched (one"
            + " element per consumer poll, for the DirectRunner's small bundles) or auto (batched on"
            + " the DirectRunner, kafkaio elsewhere)")
    @Default.String("auto")
    @TemplateParameter(regex = "^(auto|kafkaio|batched)$")
    String getKafkaReader();

    void setKafkaReader(String value);

    @Description(
        "An id for this launch (default: random): in every file name it writes (with"
            + " a random suffix, so that a relaunch never overwrites an earlier launch's files) and"
            + " in its closed-through mark")
    @Default.String("")
    @TemplateParameter(regex = "^[A-Za-z0-9-]{0,32}$")
    @Example("2026-11-29-fix")
    String getLaunchId();

    void setLaunchId(String value);
  }

  private StreamPipeline() {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  /**
   * {@code streamify stream}: checks the options and the topics, prepares the consumer group and
   * runs the pipeline (until stopped, on the DirectRunner). Returns the exit code: 0, 2 for a usage
   * mistake or missing topics, 1 when Kafka cannot be reached or the pipeline fails; each failure
   * is one line on {@code err}.
   */
  public static int run(String[] args, PrintStream err) {
    // Kafka's clients log their whole configuration at INFO, once per consumer, and a warning
    // per reconnection attempt: an unreachable broker is said once, in our own line.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    System.setProperty(
        "org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
    OptionalInt answered =
        OptionsHelp.answerIfAsked(
            args,
            Options.class,
            "stream",
            "Reads the four"
                + " event topics from Kafka, validates each record (bad ones go to the dead letter) and"
                + " writes them in two-minute event-time windows to the hour-partitioned Parquet lake;"
                + " marks hours closed once the watermark has passed them. Runs until stopped (Ctrl-C).",
            System.out,
            err);
    if (answered.isPresent()) {
      return answered.getAsInt();
    }
    Options options;
    try {
      options = options(args);
    } catch (IllegalArgumentException e) {
      err.println("streamify stream: " + firstLine(e.getMessage()));
      return 2;
    }
    try {
      List<String> missing = missingTopics(options);
      if (!missing.isEmpty()) {
        err.println(
            "streamify stream: no topic "
                + String.join(", ", missing)
                + " at "
                + options.getBootstrapServers()
                + " (create them, or start the producer first:"
                + " streamify generate creates its topics)");
        return 2;
      }
      prepareConsumerGroup(options);
    } catch (Exception e) {
      err.println(
          "streamify stream: cannot prepare consumer group "
              + options.getConsumerGroup()
              + " at "
              + options.getBootstrapServers()
              + ": "
              + firstLine(String.valueOf(e.getMessage())));
      return 1;
    }
    try {
      pipeline(options).run();
      return 0;
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      err.println(
          "streamify stream: the pipeline failed: "
              + root.getClass().getSimpleName()
              + ": "
              + firstLine(String.valueOf(root.getMessage())));
      return 1;
    }
  }

  /**
   * The launch every starter of the pipeline shares ({@code streamify stream}, {@code streamify
   * local}, the tests and the benchmarks): the options parsed from {@code args} and checked,
   * streaming, with the DirectRunner's {@link #localDefaults} for what {@code args} leave unsaid.
   *
   * @throws IllegalArgumentException a usage mistake (an unknown or malformed option, a value out
   *     of range), its message one line
   */
  public static Options options(String... args) {
    Options o = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    validate(o);
    o.setStreaming(true);
    localDefaults(o, args);
    return o;
  }

  /** The pipeline of {@code options}, built and ready to run. */
  public static Pipeline pipeline(Options options) {
    Pipeline p = Pipeline.create(options);
    build(p, options);
    return p;
  }

  /**
   * On the DirectRunner, unless told otherwise: with KafkaIO, one reader per Kafka partition (a
   * KafkaIO reader that owns several partitions is recreated by the DirectRunner so often that it
   * starves all but the first it fetches), and no encodability/immutability checks (they are for
   * tests).
   */
  public static void localDefaults(Options options, String[] args) {
    if (!options.getRunner().getSimpleName().equals("DirectRunner")) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    List<String> given = Arrays.stream(args).map(a -> a.split("=", 2)[0]).toList();
    if (!given.contains("--targetParallelism") && !batchedRead(options)) {
      direct.setTargetParallelism(16);
    }
    if (!given.contains("--enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!given.contains("--enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
  }

  /** The topics to read that do not exist at the broker (the read needs their partitions). */
  static List<String> missingTopics(Options o) throws Exception {
    Properties props = new Properties();
    props.putAll(KafkaSecrets.resolve(kafkaProperties(o)));
    props.put("bootstrap.servers", o.getBootstrapServers());
    props.put("default.api.timeout.ms", "30000");
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      return topics(o).stream().filter(t -> !existing.contains(t)).toList();
    }
  }

  /**
   * Before a launch: gives every partition without a committed offset the position {@code
   * --startOffsets} names, so that the read and {@link CommitWrittenOffsets} agree on where this
   * launch starts; then rewinds by {@code --rewindOnStartMinutes}, if any (see {@link
   * RewindOnStart}). Part of launching, not of the pipeline graph.
   */
  public static void prepareConsumerGroup(Options o) throws Exception {
    RewindOnStart.commitStartPositions(
        o.getBootstrapServers(),
        KafkaSecrets.resolve(kafkaProperties(o)),
        o.getConsumerGroup(),
        topics(o),
        o.getStartOffsets());
    if (o.getRewindOnStartMinutes() > 0) {
      RewindOnStart.rewind(
          o.getBootstrapServers(),
          KafkaSecrets.resolve(kafkaProperties(o)),
          o.getConsumerGroup(),
          java.time.Duration.ofMinutes(o.getRewindOnStartMinutes()));
    }
  }

  /** The consumer settings of the read and of the commits: servers, group, reset, extras. */
  static Map<String, Object> consumerConfig(Options o) {
    Map<String, Object> config = new HashMap<>(kafkaProperties(o));
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.getBootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, o.getConsumerGroup());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, o.getStartOffsets());
    // Records of an aborted transaction never happened: read only committed ones, unless the
    // user's --kafkaProperties say otherwise.
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return config;
  }

  private static String firstLine(String s) {
    return s == null ? "invalid options" : s.strip().lines().findFirst().orElse(s);
  }

  /** Checks option values that Beam's own validation cannot. */
  static void validate(Options o) {
    if (o.getWindowMinutes() < 1 || 60 % o.getWindowMinutes() != 0) {
      throw new IllegalArgumentException(
          "--windowMinutes must divide 60, got " + o.getWindowMinutes());
    }
    if (o.getAllowedLatenessMinutes() < 0
        || o.getLateFiringDelaySeconds() < 0
        || o.getMaxOutOfOrdernessSeconds() < 0
        || o.getMaxEventAheadMinutes() < 0) {
      throw new IllegalArgumentException(
          "--allowedLatenessMinutes, --lateFiringDelaySeconds,"
              + " --maxOutOfOrdernessSeconds and --maxEventAheadMinutes must be >= 0");
    }
    if (o.getIdleTimeoutSeconds() < 1) {
      throw new IllegalArgumentException("--idleTimeoutSeconds must be >= 1");
    }
    if (o.getRewindOnStartMinutes() < 0) {
      throw new IllegalArgumentException("--rewindOnStartMinutes must be >= 0");
    }
    if (o.getShardsPerWindow() < 1 || o.getMaxRecordBytes() < 1) {
      throw new IllegalArgumentException("--shardsPerWindow and --maxRecordBytes must be >= 1");
    }
    if (!o.getStartOffsets().equals("earliest") && !o.getStartOffsets().equals("latest")) {
      throw new IllegalArgumentException(
          "--startOffsets must be earliest or latest, got " + o.getStartOffsets());
    }
    if (!List.of("auto", "kafkaio", "batched").contains(o.getKafkaReader())) {
      throw new IllegalArgumentException(
          "--kafkaReader must be auto, kafkaio or batched, got " + o.getKafkaReader());
    }
    kafkaProperties(o);
    topics(o);
  }

  static boolean batchedRead(Options o) {
    return o.getKafkaReader().equals("batched")
        || (o.getKafkaReader().equals("auto")
            && o.getRunner().getSimpleName().equals("DirectRunner"));
  }

  static List<String> topics(Options o) {
    List<String> topics = new ArrayList<>();
    for (String t : o.getTopics().split(",")) {
      if (!t.isBlank()) {
        topics.add(o.getTopicPrefix() + t.trim());
      }
    }
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("--topics names no topic");
    }
    return topics;
  }

  /** Extra consumer settings; a secret is named here and read where a consumer is created. */
  static Map<String, Object> kafkaProperties(Options o) {
    Map<String, Object> props = new HashMap<>();
    if (!o.getKafkaPropertiesSecret().isEmpty()) {
      KafkaSecrets.accessUri(o.getKafkaPropertiesSecret()); // a malformed name fails at launch
      props.put(KafkaSecrets.SECRET_KEY, o.getKafkaPropertiesSecret());
    }
    if (o.getKafkaProperties() != null) {
      for (String kv : o.getKafkaProperties()) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "--kafkaProperties items must be key=value, got '" + kv + "'");
        }
        props.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
      }
    }
    return props;
  }

  /** Adds the whole pipeline; returns the files it writes (path, records). */
  public static PCollection<KV<String, Long>> build(Pipeline pipeline, Options o) {
    String launch =
        o.getLaunchId().isEmpty() ? UUID.randomUUID().toString().substring(0, 8) : o.getLaunchId();
    // File names carry a token of their own for each launch, also when --launchId is reused: a
    // relaunch writing a window again must never replace a file of an earlier launch (it could
    // hold records the relaunch does not read again).
    String fileLaunch =
        o.getLaunchId().isEmpty()
            ? launch
            : launch + "-" + UUID.randomUUID().toString().substring(0, 4);
    Duration lateness = Duration.standardMinutes(o.getAllowedLatenessMinutes());
    Duration maxAhead = Duration.standardMinutes(o.getMaxEventAheadMinutes());
    PCollectionTuple parsed =
        pipeline
            .apply("ReadEventTopics", new ReadEventTopics(o))
            .apply(
                "Parse",
                new ParseKafkaRecords(
                    o.getTopicPrefix(),
                    o.getMaxRecordBytes(),
                    o.getShardsPerWindow(),
                    Duration.standardMinutes(o.getWindowMinutes()),
                    lateness,
                    maxAhead));
    PCollectionTuple written =
        PCollectionList.of(parsed.get(ParseKafkaRecords.EVENTS))
            .and(parsed.get(ParseKafkaRecords.DEAD_LETTERS))
            .apply("EventsAndDeadLetters", Flatten.pCollections())
            .apply(
                "Window",
                new WindowForLake(
                    Duration.standardMinutes(o.getWindowMinutes()),
                    lateness,
                    Duration.standardSeconds(o.getLateFiringDelaySeconds())))
            .apply(
                "WriteLake",
                new WriteLakeFiles(
                    o.getLake(),
                    o.getDeadLetterPath(),
                    fileLaunch,
                    o.getShardsPerWindow(),
                    o.getTopicPrefix()));
    PCollection<KV<String, Long>> files = written.get(WriteLakeFiles.FILES);
    written
        .get(WriteLakeFiles.OFFSETS)
        .apply("CommitWrittenOffsets", new CommitWrittenOffsets(consumerConfig(o)));
    files.apply(
        "MarkClosedHours",
        new MarkClosedHours(o.getLake(), lateness, Instant.now(), maxAhead, launch));
    return files;
  }

  /**
   * All event topics in one read: batches of raw records, event time from the JSON, offsets
   * committed back to the consumer group as the runner finalizes what it has read.
   *
   * <p>On Dataflow (and with {@code --kafkaReader=kafkaio}) the read is KafkaIO's, its records
   * batched per bundle; on the DirectRunner it is {@link KafkaBatchSource}, one element per poll,
   * because the DirectRunner takes at most ten elements of an unbounded read per bundle. Both use
   * the same consumer settings and the same {@link EventTimePolicy}.
   */
  public static final class ReadEventTopics
      extends PTransform<PBegin, PCollection<List<KafkaRecord<byte[], byte[]>>>> {
    static final int MAX_BATCH_RECORDS = 5_000;
    private final String bootstrapServers;
    private final List<String> topics;
    private final Map<String, Object> consumerConfig;
    private final EventTimePolicy.Settings timing;
    private final boolean batchedRead;

    ReadEventTopics(Options o) {
      this.bootstrapServers = o.getBootstrapServers();
      this.topics = topics(o);
      this.consumerConfig = consumerConfig(o); // the same settings as the commits' consumer
      this.timing =
          new EventTimePolicy.Settings(
              Duration.standardSeconds(o.getMaxOutOfOrdernessSeconds()),
              Duration.standardMinutes(o.getMaxEventAheadMinutes()),
              Duration.standardSeconds(o.getIdleTimeoutSeconds()));
      this.batchedRead = batchedRead(o);
    }

    @Override
    public PCollection<List<KafkaRecord<byte[], byte[]>>> expand(PBegin begin) {
      if (batchedRead) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return begin.apply(
            "KafkaPolls",
            Read.from(
                new KafkaBatchSource(
                    config, topics, EventTimePolicy.factory(timing), MAX_BATCH_RECORDS)));
      }
      return begin
          .apply(
              "KafkaIO",
              KafkaIO.<byte[], byte[]>read()
                  .withBootstrapServers(bootstrapServers)
                  .withTopics(topics)
                  .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, KafkaBatchSource.BYTES)
                  .withValueDeserializerAndCoder(
                      ByteArrayDeserializer.class, KafkaBatchSource.BYTES)
                  .withConsumerConfigUpdates(consumerConfig)
                  .withConsumerFactoryFn(KafkaSecrets::consumer)
                  // offsets are committed after the records are written (CommitWrittenOffsets)
                  .withTimestampPolicyFactory(EventTimePolicy.factory(timing)))
          .apply("BatchPerBundle", ParDo.of(new BatchPerBundle()))
          .setCoder(KafkaBatchSource.BATCH_CODER);
    }
  }
}
