package io.streamify.generator.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An eventsim site configuration, read from eventsim's own JSON format (see {@link ConfigLoader}).
 * Times are in seconds unless named otherwise, as in eventsim.
 */
public record SimConfig(
    double alpha,
    double beta,
    double damping,
    double weekendDamping,
    int weekendDampingOffsetMinutes,
    int weekendDampingScaleMinutes,
    int sessionGapSeconds,
    Optional<String> churnedState,
    Optional<Long> seed,
    Map<String, Boolean> showUserDetails,
    Map<String, Double> levels,
    Map<String, Double> auths,
    String newUserAuth,
    String newUserLevel,
    List<Weighted> newSession,
    List<Transition> transitions,
    Optional<String> startDate,
    Optional<String> endDate,
    Optional<Integer> nUsers,
    Optional<Long> firstUserId,
    Optional<Double> growthRate,
    Optional<String> tag) {

  /** A session's possible first page, with its relative weight. */
  public record Weighted(PageState state, double weight) {}

  /** An edge of the page Markov chain: from source, the next page is dest with probability p. */
  public record Transition(PageState source, PageState dest, double p) {}
}
