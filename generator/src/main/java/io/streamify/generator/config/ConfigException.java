package io.streamify.generator.config;

/** A configuration or input problem the user can fix; its message is one line meant for them. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
