package io.streamify.generator.events;

import io.streamify.generator.catalog.Song;
import io.streamify.generator.catalog.SongCatalog;
import io.streamify.generator.config.PageState;
import io.streamify.generator.model.PageModel;
import io.streamify.generator.profile.ReferenceData;
import io.streamify.generator.profile.UserProfiles;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes the JSON of docs/events.md for one simulated page view and the events it implies: a listen
 * for NextSong, a status change for Submit Upgrade/Downgrade, an auth event for the page after a
 * Login. Field names and types are eventsim's; user fields are absent (not null) when the auth
 * state hides them. Every constant piece is pre-encoded once, so an event costs a few array copies.
 */
public final class EventEncoder {
  private final PageModel model;
  private final UserProfiles profiles;
  private final Set<Topic> topics;
  private final boolean pageViews;
  private final boolean listens;
  private final boolean auths;
  private final boolean statusChanges;

  private final byte[][] pageViewState;
  private final byte[][] listenState;
  private final byte[][] authState;
  private final byte[][] song;
  private final byte[][] city;
  private final byte[][] coordinates;
  private final byte[][] userAgent;
  private final byte[][] maleFirst;
  private final byte[][] femaleFirst;
  private final byte[][] last;

  private static final byte[] TS = ByteBuf.ascii("{\"ts\":");
  private static final byte[] COMMA_TS = ByteBuf.ascii(",\"ts\":");
  private static final byte[] SESSION = ByteBuf.ascii(",\"sessionId\":");
  private static final byte[] USER_ID = ByteBuf.ascii(",\"userId\":");
  private static final byte[] GENDER_M = ByteBuf.ascii(",\"gender\":\"M\",\"registration\":");
  private static final byte[] GENDER_F = ByteBuf.ascii(",\"gender\":\"F\",\"registration\":");
  private static final byte[] SUCCESS_TRUE = ByteBuf.ascii(",\"success\":true}\n");
  private static final byte[] SUCCESS_FALSE = ByteBuf.ascii(",\"success\":false}\n");
  private static final byte[] END = ByteBuf.ascii("}\n");

  public EventEncoder(
      PageModel model, SongCatalog catalog, UserProfiles profiles, Set<Topic> topics) {
    this.model = model;
    this.profiles = profiles;
    this.topics = EnumSet.copyOf(topics);
    this.pageViews = topics.contains(Topic.PAGE_VIEW);
    this.listens = topics.contains(Topic.LISTEN);
    this.auths = topics.contains(Topic.AUTH);
    this.statusChanges = topics.contains(Topic.STATUS_CHANGE);

    int n = model.size();
    pageViewState = new byte[n][];
    listenState = new byte[n][];
    authState = new byte[n][];
    for (int i = 0; i < n; i++) {
      PageState s = model.state(i);
      pageViewState[i] =
          ByteBuf.ascii(
              ",\"page\":\""
                  + text(s.page())
                  + "\",\"auth\":\""
                  + text(s.auth())
                  + "\",\"method\":\""
                  + text(s.method())
                  + "\",\"status\":"
                  + s.status()
                  + ",\"level\":\""
                  + text(s.level())
                  + "\",\"itemInSession\":");
      listenState[i] =
          ByteBuf.ascii(
              ",\"auth\":\""
                  + text(s.auth())
                  + "\",\"level\":\""
                  + text(s.level())
                  + "\",\"itemInSession\":");
      authState[i] = ByteBuf.ascii(",\"level\":\"" + text(s.level()) + "\",\"itemInSession\":");
    }
    song = new byte[catalog.size()][];
    for (int i = 0; i < catalog.size(); i++) {
      Song sg = catalog.song(i);
      song[i] =
          ByteBuf.ascii(
              "\"artist\":\""
                  + text(sg.artist())
                  + "\",\"song\":\""
                  + text(sg.title())
                  + "\",\"duration\":"
                  + sg.duration());
    }
    ReferenceData ref = profiles.reference();
    city = new byte[ref.cities.size()][];
    coordinates = new byte[ref.cities.size()][];
    for (int i = 0; i < ref.cities.size(); i++) {
      ReferenceData.City c = ref.cities.get(i);
      city[i] =
          ByteBuf.ascii(
              ",\"city\":\""
                  + text(c.city())
                  + "\",\"zip\":\""
                  + text(c.zip())
                  + "\",\"state\":\""
                  + text(c.state())
                  + "\",\"userAgent\":\"");
      coordinates[i] = ByteBuf.ascii(",\"lon\":" + c.lon() + ",\"lat\":" + c.lat());
    }
    userAgent = new byte[ref.userAgents.size()][];
    for (int i = 0; i < userAgent.length; i++) {
      userAgent[i] = ByteBuf.ascii(text(ref.userAgents.get(i)) + "\"");
    }
    maleFirst = names(ref.maleNames, "firstName");
    femaleFirst = names(ref.femaleNames, "firstName");
    last = names(ref.lastNames, "lastName");
  }

  private static byte[][] names(java.util.List<String> names, String field) {
    byte[][] out = new byte[names.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ByteBuf.ascii(",\"" + field + "\":\"" + text(names.get(i)) + "\"");
    }
    return out;
  }

  private static String text(String s) {
    return new String(ByteBuf.jsonText(s), java.nio.charset.StandardCharsets.UTF_8);
  }

  public Set<Topic> topics() {
    return topics;
  }

  /**
   * Encodes the events of one page view into the batch.
   *
   * @param previousState the session's previous state, or -1 on its first page
   * @param songIndex the song playing, used when the state is NextSong
   */
  public void encode(
      RecordBatch batch,
      long ts,
      int state,
      int previousState,
      int item,
      long sessionId,
      long userId,
      long registration,
      int songIndex) {
    ByteBuf b = batch.arena;
    boolean showUser = model.showsUser(state);
    long key = showUser ? userId : sessionId;
    boolean nextSong = model.isNextSong(state);

    if (listens && nextSong) {
      int start = b.size();
      b.append((byte) '{')
          .append(song[songIndex])
          .append(COMMA_TS)
          .append(ts)
          .append(SESSION)
          .append(sessionId)
          .append(listenState[state])
          .append(item);
      location(b, userId);
      if (showUser) {
        user(b, userId, registration);
      }
      b.append(END);
      batch.add(ts, Topic.LISTEN, key, start);
    }
    if (pageViews) {
      int start = b.size();
      b.append(TS)
          .append(ts)
          .append(SESSION)
          .append(sessionId)
          .append(pageViewState[state])
          .append(item);
      location(b, userId);
      if (showUser) {
        user(b, userId, registration);
      }
      if (nextSong) {
        b.append((byte) ',').append(song[songIndex]);
      }
      b.append(END);
      batch.add(ts, Topic.PAGE_VIEW, key, start);
    }
    if (statusChanges && model.isStatusChange(state)) {
      int start = b.size();
      b.append(TS)
          .append(ts)
          .append(SESSION)
          .append(sessionId)
          .append(listenState[state])
          .append(item);
      location(b, userId);
      if (showUser) {
        user(b, userId, registration);
      }
      b.append(END);
      batch.add(ts, Topic.STATUS_CHANGE, key, start);
    }
    if (auths && previousState >= 0 && model.isLogin(previousState)) {
      int start = b.size();
      b.append(TS)
          .append(ts)
          .append(SESSION)
          .append(sessionId)
          .append(authState[state])
          .append(item);
      location(b, userId);
      if (showUser) {
        user(b, userId, registration);
      }
      b.append(model.isLoggedIn(state) ? SUCCESS_TRUE : SUCCESS_FALSE);
      batch.add(ts, Topic.AUTH, key, start);
    }
  }

  private void location(ByteBuf b, long userId) {
    int c = profiles.cityIndex(userId);
    b.append(city[c]).append(userAgent[profiles.userAgentIndex(userId)]).append(coordinates[c]);
  }

  private void user(ByteBuf b, long userId, long registration) {
    boolean male = profiles.isMale(userId);
    b.append(USER_ID).append(userId).append(last[profiles.lastNameIndex(userId)]);
    b.append((male ? maleFirst : femaleFirst)[profiles.firstNameIndex(userId, male)]);
    b.append(male ? GENDER_M : GENDER_F).append(registration);
  }
}
