package io.streamify.generator.catalog;

import io.streamify.generator.model.AliasTable;
import java.util.List;

/** The songs users play, drawn by popularity in O(1). */
public final class SongCatalog {
  private final String description;
  private final List<Song> songs;
  private final AliasTable table;

  public SongCatalog(String description, List<Song> songs) {
    this.description = description;
    this.songs = List.copyOf(songs);
    this.table = new AliasTable(songs.stream().mapToDouble(Song::weight).toArray());
  }

  public String description() {
    return description;
  }

  public List<Song> songs() {
    return songs;
  }

  public int size() {
    return songs.size();
  }

  public Song song(int i) {
    return songs.get(i);
  }

  /** A song index drawn by popularity from a uniform u in [0, 1). */
  public int draw(double u) {
    return table.sample(u);
  }
}
