package io.streamify.warehouse;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The warehouse's table reference ({@code docs/warehouse-tables.md}), written from the one
 * definition of each table: its typed row (columns, types, docs) and its declared {@link Rule
 * rules}. A test keeps the committed page equal to what this writes.
 */
public final class TableDocs {
  private TableDocs() {}

  /** Prints the page: {@code TableDocs > docs/warehouse-tables.md}. */
  public static void main(String[] args) {
    System.out.print(markdown());
  }

  /** The page, as Markdown. */
  public static String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Warehouse tables\n\n")
        .append(
            "Written from the tables' definitions (`io.streamify.warehouse.WarehouseTable` and the\n"
                + "typed rows of `io.streamify.warehouse.rows`) by `TableDocs`; a test keeps this"
                + " page\nequal to them. Types are DuckDB's / BigQuery's. Every hourly run checks"
                + " the rules\nbefore it loads ([hourly-pipeline.md](hourly-pipeline.md#data-quality))."
                + " The views over\nthese tables, `wide_stream` and `streams_hourly`, are defined in"
                + " [`sql/views/`](../sql/views/).\n");
    for (WarehouseTable t : WarehouseTable.values()) {
      b.append("\n## ").append(t.tableName()).append("\n\n");
      b.append(t.description()).append(". ").append(kind(t)).append('\n');
      List<Rule> rules = Rule.of(t);
      if (!rules.isEmpty()) {
        b.append("\nRules:\n\n");
        for (Rule r : rules) {
          b.append("- ").append(r.describe()).append('\n');
        }
      }
      b.append("\n| column | type | null | meaning |\n|---|---|---|---|\n");
      for (Schema.Field f : t.schema().getFields()) {
        Schema s = f.schema();
        boolean nullable = s.getType() == Schema.Type.UNION;
        if (nullable) {
          s =
              s.getTypes().stream()
                  .filter(x -> x.getType() != Schema.Type.NULL)
                  .findFirst()
                  .orElseThrow();
        }
        b.append("| `")
            .append(f.name())
            .append("` | ")
            .append(DuckDbWarehouse.duckType(s))
            .append(" / ")
            .append(BigQueryWarehouse.type(s))
            .append(" | ")
            .append(nullable ? "yes" : "")
            .append(" | ")
            .append(f.doc() == null ? "" : f.doc().replace("|", "\\|"))
            .append(" |\n");
      }
    }
    return b.toString();
  }

  private static String kind(WarehouseTable t) {
    return switch (t.kind()) {
      case HOURLY ->
          "Each run replaces the hours it processes; BigQuery partitions it by the day of `ts`."
              + (t.isRaw()
                  ? " Columns: the lake's, eventsim's field names ([events.md](events.md))."
                  : "");
      case DIMENSION ->
          t == WarehouseTable.DIM_DATETIME
              ? "Rebuilt whole by every run; no unknown member (every event has its hour)."
              : "Rebuilt whole by every run; key 0 is the unknown member.";
      case LOG -> "Appended to by every run, never replaced.";
    };
  }
}
