package io.streamify.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An example value of a pipeline option, shown by {@code streamify COMMAND --help} (as {@code
 * --name=value}). Options with a default need none: the default is the example.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Example {
  /** The value, as typed after {@code --name=}. */
  String value();
}
