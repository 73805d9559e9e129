package io.streamify.generator.catalog;

/**
 * One playable song. {@code weight} is its relative popularity (a listen count for real catalogs).
 * The ids follow the Million Song Dataset's (song_id, track_id, artist_id); empty when unknown.
 */
public record Song(
    String songId,
    String trackId,
    String artistId,
    String artist,
    String title,
    double duration,
    int year,
    double weight) {}
