package io.streamify.generator.events;

import java.util.Arrays;

/** The four event streams of docs/events.md, by their Kafka topic names. */
public enum Topic {
  LISTEN("listen_events"),
  PAGE_VIEW("page_view_events"),
  AUTH("auth_events"),
  STATUS_CHANGE("status_change_events");

  private final String topicName;

  Topic(String topicName) {
    this.topicName = topicName;
  }

  public String topicName() {
    return topicName;
  }

  public static Topic byName(String name) {
    return Arrays.stream(values())
        .filter(t -> t.topicName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown topic '"
                        + name
                        + "' (known: listen_events, page_view_events, auth_events, status_change_events)"));
  }
}
