package io.streamify.generator.profile;

import io.streamify.generator.model.Rng;

/**
 * A user's name, gender, home and device, derived from (seed, userId) alone. Nothing is stored per
 * user, so ten million users cost no memory here and any part of the run can ask in any order.
 */
public final class UserProfiles {
  private static final long SALT_GENDER = 11;
  private static final long SALT_FIRST = 12;
  private static final long SALT_LAST = 13;
  private static final long SALT_CITY = 14;
  private static final long SALT_AGENT = 15;

  private final long seed;
  private final ReferenceData ref;

  public UserProfiles(long seed) {
    this.seed = seed;
    this.ref = ReferenceData.get();
  }

  public ReferenceData reference() {
    return ref;
  }

  public boolean isMale(long userId) {
    return (Rng.hash(seed, userId, SALT_GENDER) & 1) == 0;
  }

  public String gender(long userId) {
    return isMale(userId) ? "M" : "F";
  }

  /** Index into the male or female first names, by {@link #isMale}. */
  public int firstNameIndex(long userId) {
    return firstNameIndex(userId, isMale(userId));
  }

  /** As {@link #firstNameIndex(long)}, for a caller that already knows the gender. */
  public int firstNameIndex(long userId, boolean male) {
    double u = Rng.uniform(seed, userId, SALT_FIRST);
    return male ? ref.maleTable.sample(u) : ref.femaleTable.sample(u);
  }

  public String firstName(long userId) {
    int i = firstNameIndex(userId);
    return isMale(userId) ? ref.maleNames.get(i) : ref.femaleNames.get(i);
  }

  public int lastNameIndex(long userId) {
    return ref.lastTable.sample(Rng.uniform(seed, userId, SALT_LAST));
  }

  public String lastName(long userId) {
    return ref.lastNames.get(lastNameIndex(userId));
  }

  public int cityIndex(long userId) {
    return ref.cityTable.sample(Rng.uniform(seed, userId, SALT_CITY));
  }

  public ReferenceData.City city(long userId) {
    return ref.cities.get(cityIndex(userId));
  }

  public int userAgentIndex(long userId) {
    return ref.userAgentTable.sample(Rng.uniform(seed, userId, SALT_AGENT));
  }

  public String userAgent(long userId) {
    return ref.userAgents.get(userAgentIndex(userId));
  }
}
