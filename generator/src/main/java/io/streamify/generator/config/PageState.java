package io.streamify.generator.config;

/**
 * One state of eventsim's page model: the page and the request that fetched it, with the user's
 * auth and subscription level at that moment. Absent fields in the config read as "" / 0, as in
 * eventsim.
 */
public record PageState(String page, String auth, int status, String method, String level) {
  @Override
  public String toString() {
    return "{page="
        + page
        + ", auth="
        + auth
        + ", level="
        + level
        + ", method="
        + method
        + ", status="
        + status
        + "}";
  }
}
