package io.streamify.bench.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.year;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The seed project's Spark Structured Streaming job (ankurchavda/streamify, spark_streaming/:
 * stream_all_events.py, streaming_functions.py, schema.py), in Java, as the stream benchmark's
 * peer. Per topic one query: Kafka (earliest offsets) → {@code CAST(value AS STRING)} → {@code
 * from_json} with the seed's schema → {@code ts} as a timestamp and year, month, day and hour
 * columns → Parquet partitioned by month, day and hour, with a checkpoint. Two changes, both in the
 * peer's favour or for the comparison's sake: {@code Trigger.AvailableNow} instead of the seed's
 * 120-second processing-time trigger, so the job reads what the broker holds and stops; the seed's
 * Python UDF that repairs mojibake in song and artist is left out (our stream pipeline does not
 * repair either; the hourly pipeline does). The seed read three topics; status_change_events is
 * read too (the same events our pipeline reads), with the seed's auth schema less {@code success},
 * the fields eventsim gives it.
 *
 * <p>Usage: SeedStreamingJob BOOTSTRAP TOPIC_PREFIX OUTPUT_FOLDER [MASTER]. Prints one line: {@code
 * spark rows=N seconds=S wall=W}: the rows written (the Parquet output read back), the seconds from
 * the first query's start to the last one's end, and from JVM start to then.
 */
public final class SeedStreamingJob {
  private SeedStreamingJob() {}

  static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  static final DataType S = DataTypes.StringType;
  static final DataType L = DataTypes.LongType;
  static final DataType I = DataTypes.IntegerType;
  static final DataType D = DataTypes.DoubleType;

  /** The seed's schema.py, field for field (its names and types, sessionid's case included). */
  static final Map<String, StructType> SCHEMAS =
      Map.of(
          "listen_events",
          DataTypes.createStructType(
              List.of(
                  field("artist", S),
                  field("song", S),
                  field("duration", D),
                  field("ts", L),
                  field("sessionid", I),
                  field("auth", S),
                  field("level", S),
                  field("itemInSession", I),
                  field("city", S),
                  field("zip", I),
                  field("state", S),
                  field("userAgent", S),
                  field("lon", D),
                  field("lat", D),
                  field("userId", L),
                  field("lastName", S),
                  field("firstName", S),
                  field("gender", S),
                  field("registration", L))),
          "page_view_events",
          DataTypes.createStructType(
              List.of(
                  field("ts", L),
                  field("sessionId", I),
                  field("page", S),
                  field("auth", S),
                  field("method", S),
                  field("status", I),
                  field("level", S),
                  field("itemInSession", I),
                  field("city", S),
                  field("zip", I),
                  field("state", S),
                  field("userAgent", S),
                  field("lon", D),
                  field("lat", D),
                  field("userId", I),
                  field("lastName", S),
                  field("firstName", S),
                  field("gender", S),
                  field("registration", L),
                  field("artist", S),
                  field("song", S),
                  field("duration", D))),
          "auth_events",
          DataTypes.createStructType(
              List.of(
                  field("ts", L),
                  field("sessionId", I),
                  field("level", S),
                  field("itemInSession", I),
                  field("city", S),
                  field("zip", I),
                  field("state", S),
                  field("userAgent", S),
                  field("lon", D),
                  field("lat", D),
                  field("userId", I),
                  field("lastName", S),
                  field("firstName", S),
                  field("gender", S),
                  field("registration", L),
                  field("success", DataTypes.BooleanType))),
          "status_change_events",
          DataTypes.createStructType(
              List.of(
                  field("ts", L),
                  field("sessionId", I),
                  field("auth", S),
                  field("level", S),
                  field("itemInSession", I),
                  field("city", S),
                  field("zip", I),
                  field("state", S),
                  field("userAgent", S),
                  field("lon", D),
                  field("lat", D),
                  field("userId", I),
                  field("lastName", S),
                  field("firstName", S),
                  field("gender", S),
                  field("registration", L))));

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String prefix = args[1];
    Path out = Path.of(args[2]);
    String master = args.length > 3 ? args[3] : "local[2]";
    // Spark logs its start-up at INFO to stderr; the benchmark wants its figures
    Configurator.setRootLevel(Level.WARN);
    SparkSession spark =
        SparkSession.builder()
            .appName("Eventsim Stream")
            .master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            // hour partitions in UTC, as the lake's
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    List<String> topics = List.copyOf(new TreeSet<>(SCHEMAS.keySet()));
    long t0 = System.nanoTime();
    List<StreamingQuery> queries = new ArrayList<>();
    for (String topic : topics) {
      Dataset<Row> stream =
          spark
              .readStream()
              .format("kafka")
              .option("kafka.bootstrap.servers", bootstrap)
              .option("failOnDataLoss", false)
              .option("startingOffsets", "earliest")
              .option("subscribe", prefix + topic)
              .load()
              .selectExpr("CAST(value AS STRING)")
              .select(from_json(col("value"), SCHEMAS.get(topic)).alias("data"))
              .select("data.*")
              .withColumn("ts", col("ts").divide(1000).cast("timestamp"))
              .withColumn("year", year(col("ts")))
              .withColumn("month", month(col("ts")))
              .withColumn("hour", hour(col("ts")))
              .withColumn("day", dayofmonth(col("ts")));
      queries.add(
          stream
              .writeStream()
              .format("parquet")
              .partitionBy("month", "day", "hour")
              .option("path", out.resolve(topic).toString())
              .option("checkpointLocation", out.resolve("checkpoint").resolve(topic).toString())
              .trigger(Trigger.AvailableNow())
              .outputMode("append")
              .start());
    }
    for (StreamingQuery q : queries) {
      q.awaitTermination();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double wall =
        (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
    long rows = 0;
    for (String topic : topics) {
      rows += spark.read().parquet(out.resolve(topic).toString()).count();
    }
    System.out.printf(Locale.ROOT, "spark rows=%d seconds=%.3f wall=%.3f%n", rows, seconds, wall);
    spark.stop();
  }
}
