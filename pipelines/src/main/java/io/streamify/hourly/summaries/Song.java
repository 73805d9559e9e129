package io.streamify.hourly.summaries;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.RowType;

/**
 * A song heard: a summary row of {@link Summary#SONGS}. An artist heard with an empty title is one
 * too, with song key 0, so that dim_artists has it.
 */
public record Song(
    @Doc("The song's key (Keys.song); 0 for an artist heard without a title") long songKey,
    @Doc("The artist, as the event gives it") String artist,
    @Doc("The title, as the event gives it") String title,
    @Doc("Length in seconds") double duration) {
  public static final RowType<Song> TYPE = RowType.of(Song.class, Summary.NAMESPACE);
}
