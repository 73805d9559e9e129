package io.streamify.hourly;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.hourly.summaries.HourCount;
import io.streamify.lake.TableHour;
import io.streamify.warehouse.BigQuerySql;
import io.streamify.warehouse.DuckDbWarehouse;
import io.streamify.warehouse.WarehouseTable;
import io.streamify.warehouse.rows.LoadManifest;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The warehouse's record of what has been loaded: the {@code load_manifests} table, one row per
 * hour, source table and run (see {@link WarehouseTable#LOAD_MANIFESTS}). A row is written only
 * with the load itself: in the same transaction on DuckDB, after every load job succeeded on
 * BigQuery. So an hour counts as loaded only once its load committed, and a run that failed leaves
 * it to be loaded again.
 *
 * <p>Reading: the latest closed-mark version loaded per hour, for {@link LoadPlan#catchUp}.
 */
public interface LoadManifests extends AutoCloseable {
  /** Hour start (epoch ms) → the closed-mark version its latest load saw, for hours ≥ from. */
  Map<Long, String> latestVersions(long fromHour) throws Exception;

  @Override
  default void close() throws Exception {}

  /** The manifests of a warehouse: a DuckDB file or a BigQuery project:dataset. */
  static LoadManifests open(String warehouse) throws Exception {
    return warehouse.endsWith(".duckdb") ? new DuckDb(warehouse) : BigQuery.open(warehouse);
  }

  /** In a DuckDB warehouse. */
  final class DuckDb implements LoadManifests {
    private final String file;

    DuckDb(String file) {
      this.file = file;
    }

    @Override
    public Map<Long, String> latestVersions(long fromHour) throws Exception {
      Map<Long, String> out = new TreeMap<>();
      try (DuckDbWarehouse w = DuckDbWarehouse.open(file);
          PreparedStatement s =
              w.connection()
                  .prepareStatement(
                      "SELECT epoch_ms(hour_start),"
                          + " arg_max(closed_version, loaded_at) FROM load_manifests"
                          + " WHERE hour_start >= make_timestamptz(?::BIGINT * 1000) GROUP BY 1")) {
        s.setLong(1, fromHour);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            out.put(r.getLong(1), r.getString(2));
          }
        }
      }
      return out;
    }
  }

  /** In a BigQuery dataset, queried through BigQuery's REST API. */
  final class BigQuery implements LoadManifests {
    private final BigQuerySql sql;

    BigQuery(BigQuerySql sql) {
      this.sql = sql;
    }

    static BigQuery open(String warehouse) throws IOException {
      return new BigQuery(BigQuerySql.open(warehouse, "streamify-hourly"));
    }

    /** The query: the latest load's version per hour. */
    static String query(BigQuerySql sql) {
      return "SELECT UNIX_MILLIS(hour_start) AS hour,"
          + " ARRAY_AGG(closed_version ORDER BY loaded_at DESC LIMIT 1)[OFFSET(0)] AS version"
          + " FROM "
          + sql.table("load_manifests")
          + " WHERE hour_start >= TIMESTAMP_MILLIS(@from_hour) GROUP BY hour";
    }

    @Override
    public Map<Long, String> latestVersions(long fromHour) throws Exception {
      Map<Long, String> out = new TreeMap<>();
      // no load_manifests table yet: nothing was loaded
      for (List<String> row :
          sql.query(query(sql), Map.of("from_hour", fromHour)).orElse(List.of())) {
        out.put(Long.parseLong(row.get(0)), row.get(1));
      }
      return out;
    }
  }

  /**
   * The manifest rows of a run: per processed hour and event table, from its {@link HourCount} row,
   * the lake files read, the fact rows made and the hour's mark version in the plan.
   */
  final class Rows extends PTransform<PCollection<HourCount>, PCollection<LoadManifest>> {
    private final Map<WarehouseTable, PCollection<GenericRecord>> tables;
    private final PCollection<KV<TableHour, Long>> lakeFiles;
    private final Map<Long, String> versions;
    private final String runId;
    private final long loadedAt;

    /**
     * @param tables the run's tables (the facts are counted per hour)
     * @param lakeFiles files per hour of each event table
     * @param versions each hour's closed-mark version ("" when unknown or none)
     * @param loadedAt the run's time (epoch ms), the same in all its rows
     */
    public Rows(
        Map<WarehouseTable, PCollection<GenericRecord>> tables,
        PCollection<KV<TableHour, Long>> lakeFiles,
        Map<Long, String> versions,
        String runId,
        long loadedAt) {
      this.tables = tables;
      this.lakeFiles = lakeFiles;
      this.versions = Map.copyOf(versions);
      this.runId = runId;
      this.loadedAt = loadedAt;
    }

    @Override
    public PCollection<LoadManifest> expand(PCollection<HourCount> hourCounts) {
      List<PCollection<KV<TableHour, Long>>> facts = new ArrayList<>();
      for (WarehouseTable t : WarehouseTable.values()) {
        if (t.isFact() && tables.get(t) != null) {
          String source = t.factSource().tableName();
          facts.add(
              tables
                  .get(t)
                  .apply(
                      "Facts per hour " + t.tableName(),
                      MapElements.into(
                              TypeDescriptors.kvs(
                                  TypeDescriptor.of(TableHour.class), TypeDescriptors.longs()))
                          .via(r -> KV.of(TableHour.of(source, (Long) r.get("ts")), 1L)))
                  .setCoder(KvCoder.of(TableHour.TYPE.coder(), VarLongCoder.of())));
        }
      }
      TupleTag<HourCount> countsTag = new TupleTag<>();
      TupleTag<Long> factsTag = new TupleTag<>();
      TupleTag<Long> filesTag = new TupleTag<>();
      PCollection<KV<TableHour, HourCount>> keyedCounts =
          hourCounts
              .apply(
                  "Key counts",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptor.of(TableHour.class),
                              TypeDescriptor.of(HourCount.class)))
                      .via(c -> KV.of(c.tableHour(), c)))
              .setCoder(KvCoder.of(TableHour.TYPE.coder(), HourCount.TYPE.coder()));
      return KeyedPCollectionTuple.of(countsTag, keyedCounts)
          .and(
              factsTag,
              PCollectionList.of(facts)
                  .apply("All facts", Flatten.pCollections())
                  .apply("Sum facts", Grouping.sumPerKey()))
          .and(filesTag, lakeFiles)
          .apply("Per hour and table", CoGroupByKey.create())
          .apply(
              "Manifest rows",
              ParDo.of(new ManifestRowFn(countsTag, factsTag, filesTag, versions, runId, loadedAt)))
          .setCoder(LoadManifest.TYPE.coder());
    }

    static final class ManifestRowFn extends DoFn<KV<TableHour, CoGbkResult>, LoadManifest> {
      private final TupleTag<HourCount> countsTag;
      private final TupleTag<Long> factsTag;
      private final TupleTag<Long> filesTag;
      private final Map<Long, String> versions;
      private final String runId;
      private final long loadedAt;

      ManifestRowFn(
          TupleTag<HourCount> countsTag,
          TupleTag<Long> factsTag,
          TupleTag<Long> filesTag,
          Map<Long, String> versions,
          String runId,
          long loadedAt) {
        this.countsTag = countsTag;
        this.factsTag = factsTag;
        this.filesTag = filesTag;
        this.versions = new TreeMap<>(versions);
        this.runId = runId;
        this.loadedAt = loadedAt;
      }

      @ProcessElement
      public void process(@Element KV<TableHour, CoGbkResult> e, OutputReceiver<LoadManifest> out) {
        HourCount c = e.getValue().getOnly(countsTag, null);
        if (c == null) {
          return;
        }
        out.output(
            new LoadManifest(
                c.hourStart(),
                c.tableName(),
                runId,
                loadedAt,
                versions.getOrDefault(c.hourStart(), ""),
                e.getValue().getOnly(filesTag, 0L),
                c.lakeRows(),
                c.duplicateRows(),
                c.rejectedRows(),
                c.distinctRows(),
                e.getValue().getOnly(factsTag, 0L)));
      }
    }
  }
}
