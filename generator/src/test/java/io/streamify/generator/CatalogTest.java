package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamify.generator.catalog.CatalogLoader;
import io.streamify.generator.catalog.CatalogWriter;
import io.streamify.generator.catalog.Song;
import io.streamify.generator.catalog.SongCatalog;
import io.streamify.generator.catalog.SyntheticCatalog;
import io.streamify.generator.config.ConfigException;
import io.streamify.generator.events.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
  static final Path SONGS = Generated.fixture("catalog/songs.csv");
  static final Path COUNTS = Generated.fixture("catalog/listen_counts.txt.gz");

  @Test
  void syntheticCatalogIsDeterministicWithALongTail() {
    SongCatalog a = SyntheticCatalog.build(20_000);
    SongCatalog b = SyntheticCatalog.build(20_000);
    assertThat(a.songs(), equalTo(b.songs()));
    assertThat(a.size(), is(20_000));
    double[] w = a.songs().stream().mapToDouble(Song::weight).sorted().toArray();
    double total = Arrays.stream(w).sum();
    double top1Percent = Arrays.stream(w, w.length - 200, w.length).sum();
    // Zipf(0.9) over 20k ranks: the top 1% of songs take about a third of the plays.
    assertThat(top1Percent / total, allOf(greaterThan(0.2), lessThan(0.5)));
    Set<String> artists = new HashSet<>();
    a.songs().forEach(s -> artists.add(s.artist()));
    assertThat(artists.size(), greaterThan(2000));
    for (Song s : a.songs()) {
      assertThat(s.duration(), allOf(greaterThan(29.0), lessThan(901.0)));
    }
  }

  @Test
  void millionSongDatasetCsvLoadsWithItsQuotedFields() {
    SongCatalog c = CatalogLoader.load(List.of(SONGS));
    assertThat(c.size(), is(10_000));
    Song first = c.song(0);
    assertThat(first.trackId(), is("TRBBLXX128F92C3D8C"));
    assertThat(first.songId(), is("SOAQMCT12A8C1350DE"));
    assertThat(first.artistId(), is("ARK7ZPW1187B99C170"));
    assertThat(
        first.title(), is("Turandot (2008 Digital Remaster)_ Act III - Scene I: Nessum dorma!"));
    assertThat(first.duration(), is(172.90404));
    assertThat(c.song(1).title(), containsString("Ah_ non più (Alfredo/Violetta)"));
  }

  @Test
  void listenCountsLoadAloneOrJoinedToTheCsvByTrackId() {
    SongCatalog counts = CatalogLoader.load(List.of(COUNTS));
    assertThat(counts.size(), is(10_000));
    Map<String, Double> byTrack = new HashMap<>();
    counts.songs().forEach(s -> byTrack.put(s.trackId(), s.weight()));
    assertThat(byTrack.get("TRBBLXX128F92C3D8C"), is(82.0));
    assertThat(byTrack.get("TRATMXM128F1457ACB"), is(384.0));

    SongCatalog both = CatalogLoader.load(List.of(SONGS, COUNTS));
    assertThat(both.size(), is(10_000));
    assertThat(both.song(0).weight(), is(82.0));
    assertThat(both.song(0).songId(), is("SOAQMCT12A8C1350DE"));
    assertThat(both.song(1).weight(), is(384.0));
  }

  @Test
  void writtenCatalogReadsBackAsTheSameSongs(@TempDir Path dir) throws Exception {
    SongCatalog msd = CatalogLoader.load(List.of(SONGS, COUNTS));
    Path out = dir.resolve("catalog/songs.csv");
    CatalogWriter.writeCsv(msd, out);
    assertThat(Files.readAllLines(out).get(0), is(CatalogWriter.HEADER));
    SongCatalog back = CatalogLoader.load(List.of(out));
    for (int i = 0; i < msd.size(); i++) {
      Song a = msd.song(i);
      Song b = back.song(i);
      assertThat(b.artist(), equalTo(a.artist()));
      assertThat(b.title(), equalTo(a.title()));
      assertThat(b.duration(), equalTo(a.duration()));
      assertThat(b.trackId(), equalTo(a.trackId()));
    }
  }

  @Test
  void listensComeFromTheGivenCatalogAndTheCatalogIsWrittenOut(@TempDir Path dir) throws Exception {
    Path written = dir.resolve("songs-used.csv");
    Generated g =
        Generated.run(
            dir.resolve("events"),
            "-n",
            "500",
            "--catalog",
            SONGS.toString(),
            "--catalog",
            COUNTS.toString(),
            "--write-catalog",
            written.toString(),
            "--start",
            "2026-11-24",
            "-q");
    Set<String> known = new HashSet<>();
    for (Song s : CatalogLoader.load(List.of(written)).songs()) {
      known.add(s.artist() + "\u0000" + s.title() + "\u0000" + s.duration());
    }
    assertThat(known.size(), greaterThan(9000));
    assertThat(g.of(Topic.LISTEN).size(), greaterThan(500));
    for (JsonNode e : g.of(Topic.LISTEN)) {
      String k =
          e.get("artist").asText()
              + "\u0000"
              + e.get("song").asText()
              + "\u0000"
              + e.get("duration").asDouble();
      assertThat(e.toString(), known.contains(k), is(true));
    }
  }

  @Test
  void badCatalogsAreRefusedWithTheFileAndReason(@TempDir Path dir) throws Exception {
    Path badNumber = dir.resolve("bad.txt");
    Files.writeString(badNumber, "TR1\tArtist\tTitle\t200.5\t3\nTR2\tArtist\tTitle\tlong\t3\n");
    Path latin1 = dir.resolve("latin1.txt");
    Files.write(
        latin1, "TR1\tBeyonc\u00e9\tHalo\t200.5\t3\n".getBytes(StandardCharsets.ISO_8859_1));
    Path missingColumn = dir.resolve("songs.csv");
    Files.writeString(missingColumn, "artist_name,title\nA,B\n");
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    assertRefused(List.of(dir.resolve("nope.csv")), "does not exist");
    assertRefused(List.of(badNumber), "line 2: duration 'long' is not a number");
    assertRefused(List.of(latin1), "is not UTF-8");
    assertRefused(List.of(missingColumn), "header lacks column duration");
    assertRefused(List.of(empty), "is empty");
    assertRefused(
        List.of(Generated.fixture("states/state_codes.csv")), "neither a Million Song Dataset CSV");
  }

  private static void assertRefused(List<Path> paths, String reason) {
    ConfigException e = assertThrows(ConfigException.class, () -> CatalogLoader.load(paths));
    assertThat(e.getMessage(), containsString(reason));
  }
}
