package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;

/** A row of load_manifests: one hour and source table as one run loaded it. */
public record LoadManifest(
    @Doc("The hour, UTC") @Timestamp long hourStart,
    @Doc("The event table, e.g. listen_events") String sourceTable,
    @Doc("The run that loaded it") String runId,
    @Doc("When the run loaded it, UTC") @Timestamp long loadedAt,
    @Doc("The version of the hour's closed mark the run saw; empty without one")
        String closedVersion,
    @Doc("Lake files read") long lakeFiles,
    @Doc("Lake rows read") long lakeRows,
    @Doc("Copies removed as duplicates") long duplicateRows,
    @Doc("Rows sent to rejects") long rejectedRows,
    @Doc("Rows of the raw table") long rawRows,
    @Doc("Rows of the fact table") long factRows) {
  /** The row type: the table's schema and coder. */
  public static final RowType<LoadManifest> TYPE =
      RowType.of(LoadManifest.class, Namespace.WAREHOUSE);
}
