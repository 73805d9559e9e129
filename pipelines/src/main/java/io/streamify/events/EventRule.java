package io.streamify.events;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;

/**
 * The value rules of the event contract that its JSON types cannot state (docs/events.md). One
 * definition, applied twice: the stream parser dead-letters a record that breaks one (reason {@code
 * invalid_value}, the rule in the detail), and the hourly pipeline's staging puts a lake row that
 * breaks one in the rejects table under the rule's {@link #code()} (rows written before a rule
 * existed, or by another writer, never reach the model).
 */
public enum EventRule {
  /** eventsim numbers sessions from 1; a negative one cannot be a session. */
  SESSION_ID_NOT_NEGATIVE(
      "session_id_not_negative", "sessionId must be >= 0", e -> (Long) e.get("sessionId") >= 0),
  ITEM_IN_SESSION_NOT_NEGATIVE(
      "item_in_session_not_negative",
      "itemInSession must be >= 0",
      e -> (Integer) e.get("itemInSession") >= 0),
  /** User ids start at 1 (eventsim's and our generator's); 0 is the warehouse's unknown user. */
  USER_ID_POSITIVE(
      "user_id_positive",
      "userId, when present, must be >= 1 (0 is the unknown" + " user)",
      e -> e.get("userId") == null || (Long) e.get("userId") >= 1),
  /** The two subscription levels; type 2 history of dim_users switches between them. */
  LEVEL_ACCEPTED_VALUES(
      "level_accepted_values",
      "level must be free or paid",
      e -> Levels.ALL.contains(String.valueOf(e.get("level"))));

  /** The accepted levels (in a holder: an enum constant cannot read a later static field). */
  private static final class Levels {
    static final Set<String> ALL = Set.of("free", "paid");
  }

  private final String code;
  private final String description;
  private final Predicate<GenericRecord> holds;

  EventRule(String code, String description, Predicate<GenericRecord> holds) {
    this.code = code;
    this.description = description;
    this.holds = holds;
  }

  /** A stable name, e.g. {@code user_id_positive}: the rejects table's {@code rule}. */
  public String code() {
    return code;
  }

  /** What the rule demands, in a sentence. */
  public String description() {
    return description;
  }

  /** The first rule a parsed event (a record of an event table's schema) breaks, if any. */
  public static Optional<EventRule> firstBroken(GenericRecord event) {
    for (EventRule r : values()) {
      if (!r.holds.test(event)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
