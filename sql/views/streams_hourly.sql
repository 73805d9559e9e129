-- streams_hourly: streams per hour, place, listener profile, song and artist: the small source
-- for a Looker Studio report's tiles (streams by state, top songs and artists, level by gender,
-- activity by hour of day); listeners (distinct users) need wide_stream's user_id.
-- Table names carry a dataset placeholder (the word dataset in double braces).
SELECT
  d.hour_start,
  d.date,
  d.hour,
  d.day_name,
  d.is_weekend,
  l.state_code,
  l.state_name,
  u.gender,
  f.level,
  s.title AS song,
  a.name AS artist,
  COUNT(*) AS streams,
  SUM(f.duration) / 3600 AS hours_played
FROM {{dataset}}fact_streams AS f
JOIN {{dataset}}dim_users AS u
  ON u.user_id = f.user_id AND f.ts >= u.row_activation AND f.ts < u.row_expiration
JOIN {{dataset}}dim_songs AS s ON s.song_key = f.song_key
JOIN {{dataset}}dim_artists AS a ON a.artist_key = f.artist_key
JOIN {{dataset}}dim_location AS l ON l.location_key = f.location_key
JOIN {{dataset}}dim_datetime AS d ON d.datetime_key = f.datetime_key
GROUP BY d.hour_start, d.date, d.hour, d.day_name, d.is_weekend, l.state_code, l.state_name,
  u.gender, f.level, s.title, a.name
