package io.streamify.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamify.warehouse.rows.Declare;
import io.streamify.warehouse.rows.DimDatetime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The declared rules, read once from the typed rows, and the table docs written from them. */
class RuleTest {
  @Test
  void factStreamsDeclaresItsGrainRelationshipsUserVersionsAndLevels() {
    assertThat(
        Rule.of(WarehouseTable.FACT_STREAMS).stream().map(Rule::describe).toList(),
        equalTo(
            List.of(
                "unique session_id, item_in_session",
                "datetime_key references dim_datetime.datetime_key",
                "user_id references exactly one dim_users version in force at ts"
                    + " (row_activation <= ts < row_expiration)",
                "level in (free, paid)",
                "song_key references dim_songs.song_key",
                "artist_key references dim_artists.artist_key",
                "location_key references dim_location.location_key")));
  }

  @Test
  void everyTableHasItsRulesAndEveryNameInThemIsAColumn() {
    for (Rule r : Rule.all()) {
      List<String> columns =
          r.table().schema().getFields().stream().map(Schema.Field::name).toList();
      if (r instanceof Rule.Unique u) {
        assertThat(r.toString(), columns.containsAll(u.columns()), equalTo(true));
      } else if (r instanceof Rule.Relationship rel) {
        assertThat(r.toString(), columns.contains(rel.column()), equalTo(true));
        assertThat(
            r.toString(),
            rel.target().schema().getField(rel.targetColumn()) != null,
            equalTo(true));
      }
    }
    // each raw, fact and dimension table has a grain or key; the rejects and the log have none
    for (WarehouseTable t : WarehouseTable.values()) {
      boolean hasUnique = Rule.of(t).stream().anyMatch(r -> r instanceof Rule.Unique);
      assertThat(
          t.tableName(),
          hasUnique,
          equalTo(t != WarehouseTable.REJECTS && t != WarehouseTable.LOAD_MANIFESTS));
    }
  }

  @Test
  void theTableDocsInDocsAreWhatTheDefinitionsSay() throws Exception {
    Path committed = Path.of("..", "docs", "warehouse-tables.md");
    String expected = TableDocs.markdown();
    if (!Files.exists(committed) || !Files.readString(committed).equals(expected)) {
      Path fresh = Path.of("target", "warehouse-tables.md");
      Files.writeString(fresh, expected);
      throw new AssertionError(
          "docs/warehouse-tables.md is out of date with the table definitions; the page they"
              + " give is in pipelines/"
              + fresh
              + " (cp pipelines/target/warehouse-tables.md docs/, or java -cp"
              + " \"pipelines/target/classes:pipelines/target/lib/*\""
              + " io.streamify.warehouse.TableDocs > docs/warehouse-tables.md)");
    }
  }

  record StatusAsKey(@Declare.References(DimDatetime.class) int status) {}

  record NumberWithLevels(@Declare.AcceptedValues({"free", "paid"}) long level) {}

  @Declare.Versions(key = "userId", from = "since", to = "noSuchColumn")
  record BadVersions(long userId, long since) {}

  @Test
  void aDeclarationOnAColumnOfTheWrongTypeOrAMissingColumnIsRefused() {
    assertThat(
        assertThrows(
                IllegalStateException.class,
                () -> Rule.declared(WarehouseTable.FACT_PAGE_VIEWS, StatusAsKey.class))
            .getMessage(),
        equalTo("StatusAsKey.status is a int, not a long"));
    assertThat(
        assertThrows(
                IllegalStateException.class,
                () -> Rule.declared(WarehouseTable.FACT_PAGE_VIEWS, NumberWithLevels.class))
            .getMessage(),
        equalTo("NumberWithLevels.level: accepted values are for text columns"));
    assertThat(
        assertThrows(
                IllegalStateException.class,
                () -> Rule.declared(WarehouseTable.DIM_USERS, BadVersions.class))
            .getMessage(),
        equalTo("BadVersions has no component noSuchColumn"));
  }

  @Test
  void dimUsersDeclaresItsVersions() {
    assertThat(
        Rule.of(WarehouseTable.DIM_USERS).stream().map(Rule::describe).toList(),
        equalTo(
            List.of(
                "unique user_id, row_activation",
                "unique user_key",
                "versions of each user_id do not overlap, each ends after it starts"
                    + " (row_activation < row_expiration)",
                "level in (free, paid, unknown)")));
  }
}
