-- Generated from sql/views/ (WarehouseSql); do not edit.

CREATE OR REPLACE VIEW `streamify.wide_stream` AS
-- wide_stream: every listen with its user (the version in force at the listen), song, artist,
-- place and hour; the dashboard's and Looker Studio's main source.
-- Table names carry a dataset placeholder (the word dataset in double braces): `project.dataset`.
-- on BigQuery, nothing on DuckDB.
SELECT
  f.ts,
  f.datetime_key,
  f.session_id,
  f.item_in_session,
  f.user_id,
  u.user_key,
  f.level,
  u.first_name,
  u.last_name,
  u.gender,
  u.registration,
  f.song_key,
  s.title AS song,
  f.artist_key,
  a.name AS artist,
  s.year AS song_year,
  s.in_catalog,
  f.duration,
  f.location_key,
  l.city,
  l.state_code,
  l.state_name,
  l.zip,
  l.latitude,
  l.longitude,
  d.date,
  d.hour,
  d.day_of_week,
  d.day_name,
  d.is_weekend,
  d.month,
  d.month_name,
  d.year,
  f.user_agent
FROM `streamify`.fact_streams AS f
JOIN `streamify`.dim_users AS u
  ON u.user_id = f.user_id AND f.ts >= u.row_activation AND f.ts < u.row_expiration
JOIN `streamify`.dim_songs AS s ON s.song_key = f.song_key
JOIN `streamify`.dim_artists AS a ON a.artist_key = f.artist_key
JOIN `streamify`.dim_location AS l ON l.location_key = f.location_key
JOIN `streamify`.dim_datetime AS d ON d.datetime_key = f.datetime_key;

CREATE OR REPLACE VIEW `streamify.streams_hourly` AS
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
FROM `streamify`.fact_streams AS f
JOIN `streamify`.dim_users AS u
  ON u.user_id = f.user_id AND f.ts >= u.row_activation AND f.ts < u.row_expiration
JOIN `streamify`.dim_songs AS s ON s.song_key = f.song_key
JOIN `streamify`.dim_artists AS a ON a.artist_key = f.artist_key
JOIN `streamify`.dim_location AS l ON l.location_key = f.location_key
JOIN `streamify`.dim_datetime AS d ON d.datetime_key = f.datetime_key
GROUP BY d.hour_start, d.date, d.hour, d.day_name, d.is_weekend, l.state_code, l.state_name,
  u.gender, f.level, s.title, a.name;
