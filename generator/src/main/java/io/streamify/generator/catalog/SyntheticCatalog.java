package io.streamify.generator.catalog;

import io.streamify.generator.model.Rng;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in catalog: artists and titles composed from word lists, log-normal durations around
 * four minutes and a Zipf-like popularity (a few hits, a long tail), as real listen counts have. It
 * depends only on its size, never on the simulation seed, so the warehouse's song dimension is the
 * same across runs.
 */
public final class SyntheticCatalog {
  public static final int DEFAULT_SIZE = 20_000;
  private static final long SEED = 0x5eed_50_6e_5L;

  /** Zipf exponent of song popularity by rank. */
  private static final double ZIPF = 0.9;

  private static final String[] ADJECTIVES = {
    "Electric",
    "Velvet",
    "Silver",
    "Golden",
    "Midnight",
    "Crimson",
    "Neon",
    "Wild",
    "Quiet",
    "Broken",
    "Burning",
    "Frozen",
    "Hollow",
    "Lonely",
    "Lucky",
    "Restless",
    "Secret",
    "Shining",
    "Sleepy",
    "Sweet",
    "Wandering",
    "Young",
    "Ancient",
    "Bitter",
    "Blue",
    "Cosmic",
    "Distant",
    "Empty",
    "Faded",
    "Gentle",
    "Heavy",
    "Hidden",
    "Holy",
    "Little",
    "Lost",
    "Mad",
    "Northern",
    "Paper",
    "Purple",
    "Red",
    "Rusty",
    "Southern",
    "Static",
    "Stone",
    "Sunny",
    "Tender",
    "Twisted",
    "Violet",
    "Western",
    "Bright"
  };
  private static final String[] NOUNS = {
    "Harbor",
    "Echo",
    "River",
    "Lights",
    "Wolves",
    "Hearts",
    "Machines",
    "Roses",
    "Shadows",
    "Satellites",
    "Tigers",
    "Ghosts",
    "Mountains",
    "Oceans",
    "Strangers",
    "Dreamers",
    "Sparrows",
    "Engines",
    "Kings",
    "Queens",
    "Rebels",
    "Saints",
    "Sisters",
    "Brothers",
    "Thieves",
    "Horses",
    "Comets",
    "Waves",
    "Giants",
    "Pilots",
    "Animals",
    "Flowers",
    "Lanterns",
    "Mirrors",
    "Parade",
    "Radio",
    "Season",
    "Signals",
    "Soldiers",
    "Voices",
    "Weather",
    "Gardens",
    "Highways",
    "Islands",
    "Mornings",
    "Nights",
    "Pines",
    "Skies",
    "Stars",
    "Tides"
  };
  private static final String[] FIRST = {
    "Ava", "Ben", "Cleo", "Dario", "Elena", "Felix", "Grace", "Hugo", "Iris", "Jonah", "Kira",
    "Leo", "Maya", "Nico", "Olive", "Paz", "Quinn", "Rosa", "Sam", "Tess", "Uma", "Vince",
    "Wren", "Xavi", "Yara", "Zane", "Amara", "Bruno", "Celeste", "Diego"
  };
  private static final String[] LAST = {
    "Adler",
    "Brooks",
    "Castillo",
    "Delacroix",
    "Ellison",
    "Fontaine",
    "Greer",
    "Hayes",
    "Ishikawa",
    "Jensen",
    "Kowalski",
    "Laurent",
    "Moreau",
    "Navarro",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rivers",
    "Santos",
    "Thorne",
    "Underwood",
    "Vance",
    "Whitaker",
    "Young",
    "Zimmer",
    "Beaumont",
    "Calloway",
    "Dumont",
    "Everly",
    "Faraday"
  };
  private static final String[] TITLE_WORDS = {
    "Love",
    "Night",
    "Summer",
    "Fire",
    "Rain",
    "Heart",
    "Dance",
    "Home",
    "Road",
    "Gold",
    "Light",
    "Dream",
    "Time",
    "Sky",
    "Water",
    "Stay",
    "Run",
    "Fall",
    "Shine",
    "Blue",
    "Highway",
    "Letters",
    "Morning",
    "City",
    "Ghost",
    "Paradise",
    "Thunder",
    "Whisper",
    "Window",
    "Wildfire",
    "Echoes",
    "Stranger",
    "Forever",
    "Tonight",
    "Yesterday",
    "Honey",
    "Moon",
    "Ocean",
    "River",
    "Stars",
    "Gravity",
    "Silence",
    "Lullaby",
    "Kingdom",
    "Sugar",
    "Diamonds",
    "Shadows",
    "Angel",
    "Freedom",
    "Memory"
  };
  private static final String[] TITLE_GLUE = {"of", "in the", "and", "for", "on the", "without"};
  private static final String[] GENRE_SUFFIX = {
    "", "", "", "", "", " (Remastered)", " (Live)", " (Acoustic)", " (Radio Edit)", " - Remix"
  };

  private SyntheticCatalog() {}

  public static SongCatalog build(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("catalog size must be >= 1");
    }
    int artistCount = Math.max(1, size / 6);
    List<String> artists = new ArrayList<>(artistCount);
    Set<String> seen = new HashSet<>();
    for (int a = 0; artists.size() < artistCount; a++) {
      String name = artistName(a);
      if (seen.add(name)) {
        artists.add(name);
      }
    }
    List<Song> songs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      // Popular artists have more songs: pick the artist by a skewed draw.
      double ua = Rng.uniform(SEED, i, 1);
      int artist = (int) Math.min(artistCount - 1, Math.floor(artistCount * ua * ua));
      double z = gaussian(Rng.uniform(SEED, i, 2), Rng.uniform(SEED, i, 3));
      double duration = Math.max(30, Math.min(900, 230 * Math.exp(0.35 * z)));
      duration = Math.round(duration * 100000) / 100000.0;
      int year = 1960 + (int) (Math.pow(Rng.uniform(SEED, i, 4), 0.5) * 66);
      // Rank in popularity is a random permutation-like draw, so hits are spread over artists.
      long rank = 1 + (Rng.hash(SEED, i, 5) >>> 1) % size;
      double weight = 1_000_000.0 / Math.pow(rank, ZIPF);
      songs.add(
          new Song(
              String.format(Locale.ROOT, "SOSYN%08d", i + 1),
              String.format(Locale.ROOT, "TRSYN%08d", i + 1),
              String.format(Locale.ROOT, "ARSYN%06d", artist + 1),
              artists.get(artist),
              title(i),
              duration,
              year,
              Math.round(weight * 1000) / 1000.0));
    }
    return new SongCatalog("built-in synthetic catalog (" + size + " songs)", songs);
  }

  private static String artistName(int a) {
    long h = Rng.hash(SEED, a, 10);
    int kind = (int) ((h >>> 60) & 3);
    String adj = ADJECTIVES[(int) ((h >>> 8) % ADJECTIVES.length)];
    String noun = NOUNS[(int) ((h >>> 20) % NOUNS.length)];
    String first = FIRST[(int) ((h >>> 32) % FIRST.length)];
    String last = LAST[(int) ((h >>> 44) % LAST.length)];
    String base =
        switch (kind) {
          case 0 -> "The " + adj + " " + noun;
          case 1 -> first + " " + last;
          case 2 -> adj + " " + noun;
          default -> first + " " + last + " & The " + noun;
        };
    // Past the combinations, number the rest the way real catalogs disambiguate namesakes.
    return a < 20_000 ? base : base + " " + (a / 20_000 + 1);
  }

  private static String title(int i) {
    long h = Rng.hash(SEED, i, 20);
    int words = 1 + (int) ((h & 0xff) % 3);
    String w1 = TITLE_WORDS[(int) ((h >>> 8) % TITLE_WORDS.length)];
    String w2 = TITLE_WORDS[(int) ((h >>> 20) % TITLE_WORDS.length)];
    String glue = TITLE_GLUE[(int) ((h >>> 32) % TITLE_GLUE.length)];
    String suffix = GENRE_SUFFIX[(int) ((h >>> 44) % GENRE_SUFFIX.length)];
    String core =
        switch (words) {
          case 1 -> w1;
          case 2 -> w1 + " " + w2;
          default -> w1 + " " + glue + " " + w2;
        };
    return core + suffix;
  }

  private static double gaussian(double u1, double u2) {
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
