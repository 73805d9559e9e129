package io.streamify.rows;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamify.rows.Column.DefaultLong;
import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.Column.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class RowTypeTest {
  record Play(
      @Timestamp long ts,
      long userId,
      @Doc("free or paid") String level,
      @Nullable String firstName,
      @Nullable Double duration,
      @Column.Date int day,
      boolean isCurrent,
      @DefaultLong(0) long skippedRows) {}

  static final RowType<Play> PLAY = RowType.of(Play.class, "test.avro");

  @Test
  void theSchemaIsDerivedComponentByComponent() {
    assertThat(
        PLAY.schema().toString(),
        equalTo(
            "{\"type\":\"record\",\"name\":\"Play\",\"namespace\":\"test.avro\",\"fields\":["
                + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                + "{\"name\":\"user_id\",\"type\":\"long\"},"
                + "{\"name\":\"level\",\"type\":\"string\",\"doc\":\"free or paid\"},"
                + "{\"name\":\"first_name\",\"type\":[\"string\",\"null\"]},"
                + "{\"name\":\"duration\",\"type\":[\"double\",\"null\"]},"
                + "{\"name\":\"day\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                + "{\"name\":\"is_current\",\"type\":\"boolean\"},"
                + "{\"name\":\"skipped_rows\",\"type\":\"long\",\"default\":0}]}"));
    assertThat(
        PLAY.columns(),
        equalTo(
            List.of(
                "ts",
                "user_id",
                "level",
                "first_name",
                "duration",
                "day",
                "is_current",
                "skipped_rows")));
  }

  @Test
  void nullableColumnsAreUnionsWithNullSecondAsAvrosSchemaBuilderMakesThem() {
    Schema built =
        SchemaBuilder.record("Play")
            .fields()
            .name("a")
            .type()
            .nullable()
            .stringType()
            .noDefault()
            .endRecord();
    assertThat(
        PLAY.schema().getField("first_name").schema(), equalTo(built.getField("a").schema()));
  }

  @Test
  void rowsGoToAvroAndBack() {
    Play p = new Play(1_700_000_000_000L, 7, "paid", null, 215.5, 19_000, true, 3);
    GenericData.Record r = PLAY.toAvro(p);
    assertThat(r.get("user_id"), equalTo(7L));
    assertThat(r.get("first_name"), equalTo(null));
    assertThat(PLAY.fromAvro(r), equalTo(p));
  }

  @Test
  void avroTextOfAnyClassReadsAsAString() {
    GenericData.Record r = PLAY.toAvro(new Play(1L, 7, "paid", "Ann", null, 0, false, 0));
    r.put("level", new Utf8("free"));
    r.put("first_name", new StringBuilder("Bo"));
    Play p = PLAY.fromAvro(r);
    assertThat(p.level(), equalTo("free"));
    assertThat(p.firstName(), equalTo("Bo"));
  }

  @Test
  void aRecordOfAnOlderSchemaReadsTheDefaultsAndNulls() {
    Schema older =
        SchemaBuilder.record("Play")
            .fields()
            .requiredLong("ts")
            .requiredLong("user_id")
            .requiredString("level")
            .requiredInt("day")
            .requiredBoolean("is_current")
            .endRecord();
    GenericData.Record r = new GenericData.Record(older);
    r.put("ts", 5L);
    r.put("user_id", 9L);
    r.put("level", "free");
    r.put("day", 2);
    r.put("is_current", false);
    assertThat(PLAY.fromAvro(r), equalTo(new Play(5L, 9L, "free", null, null, 2, false, 0L)));
  }

  @Test
  void aRequiredColumnMissingOrNullIsAnErrorNamingIt() {
    Schema older = SchemaBuilder.record("Old").fields().requiredLong("ts").endRecord();
    GenericData.Record r = new GenericData.Record(older);
    r.put("ts", 5L);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PLAY.fromAvro(r));
    assertThat(e.getMessage(), equalTo("a Old record without user_id, which Play requires"));
    NullPointerException n =
        assertThrows(
            NullPointerException.class,
            () -> PLAY.toAvro(new Play(1L, 7, null, null, null, 0, false, 0)));
    assertThat(n.getMessage(), equalTo("Play.level is required"));
  }

  record Bad(@Nullable long n) {}

  record Odd(Instant at) {}

  record TextTime(@Timestamp String at) {}

  @Test
  void aComponentWithoutAColumnTypeIsRefused() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> RowType.of(Bad.class, "t")).getMessage(),
        equalTo("Bad.n is primitive, so never null"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> RowType.of(Odd.class, "t")).getMessage(),
        equalTo("Odd.at: no column type for java.time.Instant"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> RowType.of(TextTime.class, "t"))
            .getMessage(),
        containsString("a timestamp is a long of millis"));
  }

  @Test
  void theCoderRoundTripsIsDeterministicAndSurvivesSerialization() throws Exception {
    Play p = new Play(1L, 7, "paid", "Zoë 🎵", 3.25, 1, true, 0);
    RowType.RowCoder<Play> coder = SerializableUtils.clone(PLAY.coder());
    coder.verifyDeterministic();
    assertThat(CoderUtils.clone(coder, p), equalTo(p));
    assertThat(coder, equalTo(PLAY.coder()));
    assertThat(
        CoderUtils.encodeToByteArray(coder, p),
        equalTo(CoderUtils.encodeToByteArray(PLAY.coder(), p)));
  }

  @Test
  void avroOrderComparesFieldByFieldWithNullAfterAValue() {
    Play a = new Play(1L, 7, "paid", "Ann", 1.0, 0, false, 0);
    Play b = new Play(1L, 7, "paid", null, 1.0, 0, false, 0);
    Play c = new Play(0L, 9, "paid", null, 1.0, 0, false, 0);
    assertThat(PLAY.avroOrder().compare(a, b), lessThan(0));
    assertThat(PLAY.avroOrder().compare(c, a), lessThan(0));
    assertThat(PLAY.avroOrder().compare(a, a), equalTo(0));
  }

  @Test
  void camelCaseBecomesSnakeCase() {
    assertThat(RowType.columnName("rowActivation"), equalTo("row_activation"));
    assertThat(RowType.columnName("isCurrent"), equalTo("is_current"));
    assertThat(RowType.columnName("ts"), equalTo("ts"));
  }

  @Test
  void aColumnOfAnotherTypeIsAnErrorNamingIt() {
    Schema other =
        SchemaBuilder.record("Other")
            .fields()
            .requiredLong("ts")
            .requiredLong("user_id")
            .requiredInt("level")
            .requiredInt("day")
            .requiredBoolean("is_current")
            .endRecord();
    GenericData.Record r = new GenericData.Record(other);
    r.put("ts", 5L);
    r.put("user_id", 9L);
    r.put("level", 1);
    r.put("day", 2);
    r.put("is_current", false);
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> PLAY.fromAvro(r)).getMessage(),
        equalTo("a Other record's level holds a Integer where Play needs a String"));
  }
}
