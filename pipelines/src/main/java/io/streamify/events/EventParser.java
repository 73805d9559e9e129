package io.streamify.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns one JSON event into a typed record of its table's schema, or says why it cannot.
 *
 * <p>Accepts real eventsim output as it is: keys in any order, whole-second timestamps, user agents
 * wrapped in literal quotes (unwrapped), UTF-8 text that was once decoded as Latin-1 (repaired),
 * unknown extra keys such as eventsim's {@code tag} (ignored). Rejects what breaks the contract:
 * not JSON, not an object, a missing required field, a wrong type, a timestamp outside [2000,
 * 2100), a value that breaks an {@link EventRule} (a negative session or item number, a userId
 * below 1, a level other than free or paid). The ledger fields ({@code kafka_partition}, {@code
 * kafka_offset}) are left null for the caller; JSON keys of those names are ignored. Not
 * thread-safe; one per thread.
 */
public final class EventParser {
  /** Earliest accepted event time: 2000-01-01T00:00:00Z. */
  public static final long MIN_TS = 946_684_800_000L;

  /** Latest accepted event time (exclusive): 2100-01-01T00:00:00Z. */
  public static final long MAX_TS = 4_102_444_800_000L;

  private static final JsonFactory JSON = new JsonFactory();

  private final Map<LakeTable, Map<String, Schema.Field>> fields = new EnumMap<>(LakeTable.class);
  private final Map<LakeTable, Schema.Type[]> types = new EnumMap<>(LakeTable.class);

  public EventParser() {
    for (LakeTable t : LakeTable.values()) {
      if (!t.isEvent()) {
        continue;
      }
      Map<String, Schema.Field> byName = new HashMap<>();
      Schema.Type[] ts = new Schema.Type[t.schema().getFields().size()];
      for (Schema.Field f : t.schema().getFields()) {
        if (!LakeTable.isLedgerField(f.name())) { // set from Kafka, never from the JSON
          byName.put(f.name(), f);
        }
        ts[f.pos()] = valueType(f.schema());
      }
      fields.put(t, byName);
      types.put(t, ts);
    }
  }

  private static Schema.Type valueType(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema branch : s.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return branch.getType();
        }
      }
    }
    return s.getType();
  }

  private static boolean nullable(Schema s) {
    return s.getType() == Schema.Type.UNION;
  }

  /** Parses {@code json} as an event of {@code table}. */
  public GenericRecord parse(LakeTable table, byte[] json) throws InvalidEventException {
    if (json == null || json.length == 0) {
      throw new InvalidEventException("empty_payload", "the record has no value");
    }
    Schema schema = table.schema();
    Map<String, Schema.Field> known = fields.get(table);
    Schema.Type[] fieldTypes = types.get(table);
    GenericData.Record record = new GenericData.Record(schema);
    boolean[] seen = new boolean[fieldTypes.length];
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidEventException("not_object", "the value is not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        Schema.Field f = known.get(name);
        if (f == null) {
          p.skipChildren(); // unknown keys are allowed and ignored
          continue;
        }
        int pos = f.pos();
        if (v == JsonToken.VALUE_NULL) {
          if (!nullable(f.schema())) {
            throw new InvalidEventException("wrong_type", "\"" + name + "\" is null");
          }
          seen[pos] = true;
          continue;
        }
        record.put(pos, value(p, v, name, fieldTypes[pos]));
        seen[pos] = true;
      }
      if (t != JsonToken.END_OBJECT) {
        throw new InvalidEventException("not_json", "the JSON object is not closed");
      }
      if (p.nextToken() != null) {
        throw new InvalidEventException("not_json", "text follows the JSON object");
      }
    } catch (JsonParseException e) {
      throw new InvalidEventException("not_json", "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidEventException("not_json", "unreadable: " + e.getMessage());
    }
    for (Schema.Field f : schema.getFields()) {
      if (!seen[f.pos()] && !nullable(f.schema())) {
        throw new InvalidEventException(
            "missing_field", "required field \"" + f.name() + "\" is missing");
      }
    }
    check(record);
    return record;
  }

  private static Object value(JsonParser p, JsonToken v, String name, Schema.Type type)
      throws IOException, InvalidEventException {
    switch (type) {
      case STRING -> {
        if (v != JsonToken.VALUE_STRING) {
          throw wrongType(name, "a string", v);
        }
        return clean(name, p.getText());
      }
      case LONG -> {
        if (v == JsonToken.VALUE_NUMBER_INT) {
          if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw wrongType(name, "a 64-bit integer", v);
          }
          return p.getLongValue();
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT
            && p.getDoubleValue() == Math.rint(p.getDoubleValue())
            && Math.abs(p.getDoubleValue()) < 9.0e15) {
          return (long) p.getDoubleValue(); // 1.5e12 style from some JSON writers
        }
        throw wrongType(name, "an integer", v);
      }
      case INT -> {
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
          return p.getIntValue();
        }
        throw wrongType(name, "a 32-bit integer", v);
      }
      case DOUBLE -> {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
          double d = p.getDoubleValue();
          if (Double.isFinite(d)) {
            return d;
          }
        }
        throw wrongType(name, "a number", v);
      }
      case BOOLEAN -> {
        if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
          return v == JsonToken.VALUE_TRUE;
        }
        throw wrongType(name, "true or false", v);
      }
      default -> throw new IllegalStateException("unsupported schema type " + type);
    }
  }

  private static InvalidEventException wrongType(String name, String expected, JsonToken got) {
    return new InvalidEventException(
        "wrong_type", "\"" + name + "\" must be " + expected + ", got " + describe(got));
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> t.toString();
    };
  }

  private static void check(GenericData.Record r) throws InvalidEventException {
    long ts = (Long) r.get("ts");
    if (ts < MIN_TS || ts >= MAX_TS) {
      throw new InvalidEventException(
          "ts_out_of_range", "ts " + ts + " is outside [2000-01-01, 2100-01-01)");
    }
    var broken = EventRule.firstBroken(r);
    if (broken.isPresent()) {
      throw new InvalidEventException("invalid_value", broken.get().description());
    }
  }

  /**
   * eventsim's text quirks: quoted user agents, UTF-8 decoded as Latin-1 in names and titles. Also
   * the hourly pipeline's cleaning of what the lake holds.
   */
  public static String clean(String field, String s) {
    if (field.equals("userAgent")
        && s.length() >= 2
        && s.charAt(0) == '"'
        && s.charAt(s.length() - 1) == '"') {
      return s.substring(1, s.length() - 1);
    }
    return repairMojibake(s);
  }

  /**
   * Undoes UTF-8 read as Latin-1 ("BeyoncÃ©" → "Beyoncé"). Only when every char fits in one byte,
   * some are non-ASCII and the bytes are valid UTF-8: real Latin-1 text ("é" alone) is never valid
   * UTF-8 once encoded, so it is left alone.
   */
  static String repairMojibake(String s) {
    boolean high = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xFF) {
        return s;
      }
      high |= c >= 0x80;
    }
    if (!high) {
      return s;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (CharacterCodingException e) {
      return s;
    }
  }
}
