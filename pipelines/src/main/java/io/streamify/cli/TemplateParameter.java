package io.streamify.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a pipeline option's Flex Template parameter accepts, beside Beam's own annotations: the
 * regular expression Dataflow checks a launch's value against (the whole value; an optional
 * parameter left out is not checked). Every option of a templated pipeline carries one, so the
 * Options interface stays the one definition of the template contract.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TemplateParameter {
  /** Java regular expression, anchored with ^ and $. */
  String regex();

  /** Shared expressions. */
  final class Regex {
    /** A gs:// URL (bucket name rules, then any path). */
    public static final String GCS = "^gs://[a-z0-9][-_.a-z0-9]{1,220}[a-z0-9](/.*)?$";

    /** A gs:// URL or nothing. */
    public static final String GCS_OR_EMPTY = "^(gs://[a-z0-9][-_.a-z0-9]{1,220}[a-z0-9](/.*)?)?$";

    /** An hour like 2026-11-24T13, or nothing. */
    public static final String HOUR_OR_EMPTY = "^([0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9])?$";

    /** A count. */
    public static final String NON_NEGATIVE = "^[0-9]{1,6}$";

    /** A positive count. */
    public static final String POSITIVE = "^[1-9][0-9]{0,8}$";

    private Regex() {}
  }
}
