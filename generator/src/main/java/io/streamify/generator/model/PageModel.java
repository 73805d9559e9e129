package io.streamify.generator.model;

import io.streamify.generator.config.ConfigException;
import io.streamify.generator.config.PageState;
import io.streamify.generator.config.SimConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * eventsim's page Markov chain compiled to arrays, checked for consistency: probabilities out of a
 * state must not exceed 1, new sessions must start on known states, every auth needs a
 * show-user-details entry, and every (auth, level) a session can end in must be able to start the
 * next one.
 */
public final class PageModel {
  private static final double EPSILON = 1e-6;

  private final List<PageState> states = new ArrayList<>();
  private final Map<PageState, Integer> index = new LinkedHashMap<>();
  private int[][] dest;
  private double[][] cumulative;
  private boolean[] nextSong;
  private boolean[] redirect;
  private boolean[] churned;
  private boolean[] showUser;
  private boolean[] statusChange;
  private boolean[] login;
  private boolean[] loggedIn;
  private int[] sessionKey;

  /** Session-start distributions, one per (auth, level) key. */
  private final List<String> keys = new ArrayList<>();

  private final List<int[]> keyStates = new ArrayList<>();
  private final List<double[]> keyCumulative = new ArrayList<>();

  private final String[] initialAuths;
  private final double[] initialAuthCumulative;
  private final String[] initialLevels;
  private final double[] initialLevelCumulative;
  private final String newUserAuth;
  private final String newUserLevel;

  public PageModel(SimConfig config) {
    for (SimConfig.Transition t : config.transitions()) {
      intern(t.source());
      intern(t.dest());
    }
    int n = states.size();
    if (n == 0) {
      throw new ConfigException("config has no \"transitions\"");
    }
    List<List<Integer>> dests = new ArrayList<>();
    List<List<Double>> ps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dests.add(new ArrayList<>());
      ps.add(new ArrayList<>());
    }
    for (SimConfig.Transition t : config.transitions()) {
      if (t.p() == 0) {
        continue;
      }
      int s = index.get(t.source());
      dests.get(s).add(index.get(t.dest()));
      ps.get(s).add(t.p());
    }
    dest = new int[n][];
    cumulative = new double[n][];
    nextSong = new boolean[n];
    redirect = new boolean[n];
    churned = new boolean[n];
    showUser = new boolean[n];
    statusChange = new boolean[n];
    login = new boolean[n];
    loggedIn = new boolean[n];
    sessionKey = new int[n];
    String churnedState = config.churnedState().orElse(null);
    for (int i = 0; i < n; i++) {
      PageState st = states.get(i);
      int k = dests.get(i).size();
      dest[i] = new int[k];
      cumulative[i] = new double[k];
      double acc = 0;
      for (int j = 0; j < k; j++) {
        dest[i][j] = dests.get(i).get(j);
        acc += ps.get(i).get(j);
        cumulative[i][j] = acc;
      }
      if (acc > 1 + EPSILON) {
        throw new ConfigException(
            "config: transition probabilities out of " + st + " sum to " + acc + " (> 1)");
      }
      nextSong[i] = st.page().equals("NextSong");
      redirect[i] = st.status() >= 300 && st.status() < 400;
      churned[i] = st.auth().equals(churnedState);
      Boolean show = config.showUserDetails().get(st.auth());
      if (show == null) {
        throw new ConfigException(
            "config: no \"show-user-details\" entry for auth \"" + st.auth() + "\"");
      }
      showUser[i] = show;
      statusChange[i] = st.page().equals("Submit Upgrade") || st.page().equals("Submit Downgrade");
      login[i] = st.page().equals("Login");
      loggedIn[i] = st.auth().equals("Logged In");
    }

    Map<String, List<int[]>> byKey = new LinkedHashMap<>();
    Map<String, List<Double>> weightsByKey = new LinkedHashMap<>();
    for (SimConfig.Weighted w : config.newSession()) {
      Integer s = index.get(w.state());
      if (s == null) {
        throw new ConfigException(
            "config: \"new-session\" names an unknown state "
                + w.state()
                + " (it appears in no transition)");
      }
      if (w.weight() == 0) {
        continue;
      }
      String key = key(w.state().auth(), w.state().level());
      byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(new int[] {s});
      weightsByKey.computeIfAbsent(key, x -> new ArrayList<>()).add(w.weight());
    }
    for (Map.Entry<String, List<int[]>> e : byKey.entrySet()) {
      List<Double> ws = weightsByKey.get(e.getKey());
      int[] ss = new int[ws.size()];
      double[] cum = new double[ws.size()];
      double total = ws.stream().mapToDouble(Double::doubleValue).sum();
      double acc = 0;
      for (int j = 0; j < ss.length; j++) {
        ss[j] = e.getValue().get(j)[0];
        acc += ws.get(j);
        cum[j] = acc / total;
      }
      keys.add(e.getKey());
      keyStates.add(ss);
      keyCumulative.add(cum);
    }
    for (int i = 0; i < n; i++) {
      PageState st = states.get(i);
      sessionKey[i] = keys.indexOf(key(st.auth(), st.level()));
      boolean canEnd =
          cumulative[i].length == 0 || cumulative[i][cumulative[i].length - 1] < 1 - EPSILON;
      if (canEnd && !churned[i] && sessionKey[i] < 0) {
        throw new ConfigException(
            "config: a session can end on "
                + st
                + " but no \"new-session\" entry starts a session for auth \""
                + st.auth()
                + "\", level \""
                + st.level()
                + "\"");
      }
    }

    initialAuths = positive(config.auths(), "auths");
    initialAuthCumulative = cumulativeOf(config.auths(), initialAuths);
    initialLevels = positive(config.levels(), "levels");
    initialLevelCumulative = cumulativeOf(config.levels(), initialLevels);
    for (String auth : initialAuths) {
      for (String level : initialLevels) {
        if (!auth.equals(churnedState) && keys.indexOf(key(auth, level)) < 0) {
          throw new ConfigException(
              "config: users start as auth \""
                  + auth
                  + "\", level \""
                  + level
                  + "\" but no \"new-session\" entry starts a session for it");
        }
      }
    }
    newUserAuth = config.newUserAuth();
    newUserLevel = config.newUserLevel();
  }

  private static String[] positive(Map<String, Double> weights, String what) {
    String[] names =
        weights.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(Map.Entry::getKey)
            .toArray(String[]::new);
    if (names.length == 0) {
      throw new ConfigException(
          "config: \"" + what + "\" needs at least one entry with weight > 0");
    }
    return names;
  }

  private static double[] cumulativeOf(Map<String, Double> weights, String[] names) {
    double total = 0;
    for (String n : names) {
      total += weights.get(n);
    }
    double[] cum = new double[names.length];
    double acc = 0;
    for (int i = 0; i < names.length; i++) {
      acc += weights.get(names[i]);
      cum[i] = acc / total;
    }
    return cum;
  }

  private static String key(String auth, String level) {
    return auth + "\u0000" + level;
  }

  private void intern(PageState s) {
    if (!index.containsKey(s)) {
      index.put(s, states.size());
      states.add(s);
    }
  }

  private static int pick(double[] cum, double u) {
    for (int i = 0; i < cum.length; i++) {
      if (u < cum[i]) {
        return i;
      }
    }
    return -1;
  }

  /** The next state after {@code state} for a uniform draw u, or -1 when the session ends. */
  public int next(int state, double u) {
    int i = pick(cumulative[state], u);
    return i < 0 ? -1 : dest[state][i];
  }

  /** The first state of a session for a user whose last state was {@code previous}; -1 if none. */
  public int sessionStartAfter(int previous, double u) {
    int k = sessionKey[previous];
    return k < 0 ? -1 : startFor(k, u);
  }

  /**
   * The first state of a session for a user with this auth and level; -1 if the config has none.
   */
  public int sessionStart(String auth, String level, double u) {
    int k = keys.indexOf(key(auth, level));
    return k < 0 ? -1 : startFor(k, u);
  }

  public boolean canStartSession(String auth, String level) {
    return keys.contains(key(auth, level));
  }

  private int startFor(int k, double u) {
    int[] ss = keyStates.get(k);
    int i = pick(keyCumulative.get(k), u);
    return ss[i < 0 ? ss.length - 1 : i];
  }

  public String drawInitialAuth(double u) {
    int i = pick(initialAuthCumulative, u);
    return initialAuths[i < 0 ? initialAuths.length - 1 : i];
  }

  public String drawInitialLevel(double u) {
    int i = pick(initialLevelCumulative, u);
    return initialLevels[i < 0 ? initialLevels.length - 1 : i];
  }

  public String newUserAuth() {
    return newUserAuth;
  }

  public String newUserLevel() {
    return newUserLevel;
  }

  public int size() {
    return states.size();
  }

  public PageState state(int i) {
    return states.get(i);
  }

  public boolean isNextSong(int s) {
    return nextSong[s];
  }

  public boolean isRedirect(int s) {
    return redirect[s];
  }

  public boolean isChurned(int s) {
    return churned[s];
  }

  public boolean showsUser(int s) {
    return showUser[s];
  }

  public boolean isStatusChange(int s) {
    return statusChange[s];
  }

  public boolean isLogin(int s) {
    return login[s];
  }

  public boolean isLoggedIn(int s) {
    return loggedIn[s];
  }
}
