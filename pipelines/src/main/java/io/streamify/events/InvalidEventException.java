package io.streamify.events;

/** Why a record breaks the event contract: a stable code for counting and a detail for people. */
public final class InvalidEventException extends Exception {
  private final String code;

  public InvalidEventException(String code, String detail) {
    super(detail, null, false, false); // no stack trace: these are data, not bugs
    this.code = code;
  }

  public String code() {
    return code;
  }
}
