package io.streamify.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser on lines shaped like real eventsim output (docs/events.md: quoted user agents,
 * mojibake, control characters, keys in any order, whole-second timestamps, absent user fields for
 * guests, an extra "tag"), and on a corpus of records that break the contract.
 */
class EventParserTest {
  final EventParser parser = new EventParser();

  GenericRecord parse(LakeTable t, String json) throws InvalidEventException {
    return parser.parse(t, json.getBytes(StandardCharsets.UTF_8));
  }

  static final String EVENTSIM_LISTEN =
      "{\"artist\":\"BeyoncÃ©\",\"song\":\"Halo\\u0007 (Live)\","
          + "\"duration\":261.8771,\"ts\":1538352117000,\"sessionId\":29,\"auth\":\"Logged In\","
          + "\"level\":\"paid\",\"itemInSession\":50,\"city\":\"Bakersfield\",\"zip\":\"93307\","
          + "\"state\":\"CA\",\"userAgent\":\"\\\"Mozilla/5.0 (Windows NT 6.1; WOW64)"
          + " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.103 Safari/537.36\\\"\","
          + "\"lon\":-119.0179,\"lat\":35.3395,\"userId\":30,\"lastName\":\"Freeman\","
          + "\"firstName\":\"Colin\",\"gender\":\"M\",\"registration\":1538173362000,\"tag\":\"A\"}";

  @Test
  void realEventsimListenLineIsAcceptedWithItsQuirksRepaired() throws Exception {
    GenericRecord r = parse(LakeTable.LISTEN_EVENTS, EVENTSIM_LISTEN);
    assertThat(r.get("artist"), is("Beyoncé"));
    assertThat(r.get("song"), is("Halo\u0007 (Live)"));
    assertThat(r.get("duration"), is(261.8771));
    assertThat(r.get("ts"), is(1538352117000L));
    assertThat(r.get("sessionId"), is(29L));
    assertThat(r.get("itemInSession"), is(50));
    assertThat(
        r.get("userAgent"),
        is(
            "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36"
                + " (KHTML, like Gecko) Chrome/37.0.2062.103 Safari/537.36"));
    assertThat(r.get("zip"), is("93307"));
    assertThat(r.get("lon"), is(-119.0179));
    assertThat(r.get("userId"), is(30L));
    assertThat(r.get("registration"), is(1538173362000L));
    assertThat(r.get("gender"), is("M"));
  }

  @Test
  void guestPageViewWithKeysInAnotherOrderHasNoUserFields() throws Exception {
    GenericRecord r =
        parse(
            LakeTable.PAGE_VIEW_EVENTS,
            "{\"page\":\"Home\",\"status\":200,"
                + "\"method\":\"GET\",\"level\":\"free\",\"auth\":\"Guest\",\"itemInSession\":0,"
                + "\"sessionId\":7052,\"ts\":1538352180000,\"userAgent\":\"Mozilla/5.0\",\"lat\":40.7,"
                + "\"lon\":-74.0,\"zip\":\"10001\",\"city\":\"New York\",\"state\":\"NY\"}");
    assertThat(r.get("page"), is("Home"));
    assertThat(r.get("status"), is(200));
    assertThat(r.get("userId"), nullValue());
    assertThat(r.get("registration"), nullValue());
    assertThat(r.get("artist"), nullValue());
  }

  @Test
  void nextSongPageViewCarriesTheSongAndExplicitNullsAreAbsentOptionals() throws Exception {
    GenericRecord r =
        parse(
            LakeTable.PAGE_VIEW_EVENTS,
            "{\"ts\":1538352180000,\"sessionId\":1,"
                + "\"page\":\"NextSong\",\"auth\":\"Logged In\",\"method\":\"PUT\",\"status\":200,"
                + "\"level\":\"free\",\"itemInSession\":3,\"city\":\"A\",\"zip\":\"1\",\"state\":\"TX\","
                + "\"userAgent\":\"UA\",\"lon\":-97,\"lat\":30,\"userId\":5,\"lastName\":\"L\","
                + "\"firstName\":\"F\",\"gender\":\"F\",\"registration\":null,\"artist\":\"Muse\","
                + "\"song\":\"Uprising\",\"duration\":304}");
    assertThat(r.get("artist"), is("Muse"));
    assertThat(r.get("duration"), is(304.0));
    assertThat(r.get("lon"), is(-97.0));
    assertThat(r.get("registration"), nullValue());
  }

  @Test
  void failedLoginAuthEventAndStatusChange() throws Exception {
    GenericRecord a =
        parse(
            LakeTable.AUTH_EVENTS,
            "{\"ts\":1538352180000,\"sessionId\":1,"
                + "\"level\":\"free\",\"itemInSession\":2,\"city\":\"A\",\"zip\":\"1\",\"state\":\"TX\","
                + "\"userAgent\":\"UA\",\"lon\":1.5,\"lat\":2.5,\"success\":false}");
    assertThat(a.get("success"), is(false));
    assertThat(a.get("userId"), nullValue());
    GenericRecord s =
        parse(
            LakeTable.STATUS_CHANGE_EVENTS,
            "{\"ts\":1538352180000,"
                + "\"sessionId\":1,\"auth\":\"Logged In\",\"level\":\"free\",\"itemInSession\":9,"
                + "\"city\":\"A\",\"zip\":\"1\",\"state\":\"TX\",\"userAgent\":\"UA\",\"lon\":1.5,"
                + "\"lat\":2.5,\"userId\":12,\"lastName\":\"L\",\"firstName\":\"F\",\"gender\":\"F\","
                + "\"registration\":1538173362000}");
    assertThat(s.get("level"), is("free"));
    assertThat(s.get("userId"), is(12L));
  }

  @Test
  void latin1TextThatIsNotMojibakeIsLeftAlone() {
    assertThat(EventParser.repairMojibake("Beyoncé"), is("Beyoncé"));
    assertThat(EventParser.repairMojibake("Sigur RÃ³s"), is("Sigur Rós"));
    assertThat(EventParser.repairMojibake("Plain"), is("Plain"));
    assertThat(EventParser.repairMojibake("東京"), is("東京"));
  }

  static Stream<Arguments> badRecords() {
    String good = EVENTSIM_LISTEN;
    return Stream.of(
        Arguments.of("", "empty_payload"),
        Arguments.of("\u0000\u00ff\u00fe binary", "not_json"),
        Arguments.of("{\"ts\": 1538352117000, \"sessionId\": ", "not_json"),
        Arguments.of(good + " trailing", "not_json"),
        Arguments.of("[1,2,3]", "not_object"),
        Arguments.of("\"just a string\"", "not_object"),
        Arguments.of(good.replace("\"ts\":1538352117000,", ""), "missing_field"),
        Arguments.of(good.replace(",\"userId\":30", ""), "missing_field"),
        Arguments.of(good.replace("1538352117000", "\"1538352117000\""), "wrong_type"),
        Arguments.of(good.replace("\"sessionId\":29", "\"sessionId\":29.5"), "wrong_type"),
        Arguments.of(good.replace("261.8771", "\"long\""), "wrong_type"),
        Arguments.of(good.replace("\"itemInSession\":50", "\"itemInSession\":null"), "wrong_type"),
        Arguments.of(good.replace("\"sessionId\":29", "\"sessionId\":1e40"), "wrong_type"),
        Arguments.of(
            good.replace("\"itemInSession\":50", "\"itemInSession\":99999999999"), "wrong_type"),
        Arguments.of(good.replace("\"Freeman\"", "[\"Freeman\"]"), "wrong_type"),
        Arguments.of(good.replace("1538352117000", "0"), "ts_out_of_range"),
        Arguments.of(good.replace("1538352117000", "5000000000000"), "ts_out_of_range"),
        Arguments.of(
            good.replace("\"itemInSession\":50", "\"itemInSession\":-1"), "invalid_value"));
  }

  @ParameterizedTest
  @MethodSource("badRecords")
  void recordsThatBreakTheContractAreRejectedWithAReason(String json, String code) {
    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> parse(LakeTable.LISTEN_EVENTS, json));
    assertThat(e.getMessage(), e.code(), is(code));
  }

  @Test
  void theEventTimeScannerReadsTheTopLevelTsOnly() {
    assertThat(EventTime.of(EVENTSIM_LISTEN.getBytes(StandardCharsets.UTF_8)), is(1538352117000L));
    assertThat(
        EventTime.of("{\"song\":\"ts\",\"ts\" : 12}".getBytes(StandardCharsets.UTF_8)), is(12L));
    assertThat(
        EventTime.of("{\"ts\":1.5e12}".getBytes(StandardCharsets.UTF_8)), is(1_500_000_000_000L));
    assertThat(EventTime.of("{\"ts\":\"x\"}".getBytes(StandardCharsets.UTF_8)), is(Long.MIN_VALUE));
    assertThat(EventTime.of("no json".getBytes(StandardCharsets.UTF_8)), is(Long.MIN_VALUE));
    assertThat(EventTime.of(new byte[0]), is(Long.MIN_VALUE));
  }

  @Test
  void schemasFollowTheContract() {
    assertThat(
        LakeTable.LISTEN_EVENTS.schema().getField("userId").schema().isNullable(), is(false));
    assertThat(
        LakeTable.PAGE_VIEW_EVENTS.schema().getField("userId").schema().isNullable(), is(true));
    assertThat(
        LakeTable.AUTH_EVENTS.schema().getField("success").schema().getType().getName(),
        is("boolean"));
    assertThat(
        LakeTable.STATUS_CHANGE_EVENTS.schema().getField("ts").schema().getLogicalType().getName(),
        is("timestamp-millis"));
    assertThat(
        LakeTable.DEADLETTER.schema().getField("payload").schema().getType().getName(),
        containsString("bytes"));
  }
}
