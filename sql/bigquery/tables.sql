-- Generated from io.streamify.warehouse.WarehouseTable (WarehouseSql); do not edit.
-- The BigQuery tables of dataset `streamify`. The hourly pipeline also creates a missing table like this.

CREATE TABLE IF NOT EXISTS `streamify.listen_events` (
  artist STRING NOT NULL,
  song STRING NOT NULL,
  duration FLOAT64 NOT NULL,
  ts TIMESTAMP NOT NULL,
  sessionId INT64 NOT NULL,
  auth STRING NOT NULL,
  level STRING NOT NULL,
  itemInSession INT64 NOT NULL,
  city STRING NOT NULL,
  zip STRING NOT NULL,
  state STRING NOT NULL,
  userAgent STRING NOT NULL,
  lon FLOAT64 NOT NULL,
  lat FLOAT64 NOT NULL,
  userId INT64 NOT NULL,
  lastName STRING NOT NULL,
  firstName STRING NOT NULL,
  gender STRING NOT NULL,
  registration TIMESTAMP NOT NULL,
  kafka_partition INT64,
  kafka_offset INT64
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY userId
OPTIONS (description = 'Raw listens, one per NextSong, de-duplicated and cleaned');

CREATE TABLE IF NOT EXISTS `streamify.page_view_events` (
  ts TIMESTAMP NOT NULL,
  sessionId INT64 NOT NULL,
  page STRING NOT NULL,
  auth STRING NOT NULL,
  method STRING NOT NULL,
  status INT64 NOT NULL,
  level STRING NOT NULL,
  itemInSession INT64 NOT NULL,
  city STRING NOT NULL,
  zip STRING NOT NULL,
  state STRING NOT NULL,
  userAgent STRING NOT NULL,
  lon FLOAT64 NOT NULL,
  lat FLOAT64 NOT NULL,
  userId INT64,
  lastName STRING,
  firstName STRING,
  gender STRING,
  registration TIMESTAMP,
  artist STRING,
  song STRING,
  duration FLOAT64,
  kafka_partition INT64,
  kafka_offset INT64
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY userId
OPTIONS (description = 'Raw page views, de-duplicated and cleaned');

CREATE TABLE IF NOT EXISTS `streamify.auth_events` (
  ts TIMESTAMP NOT NULL,
  sessionId INT64 NOT NULL,
  level STRING NOT NULL,
  itemInSession INT64 NOT NULL,
  city STRING NOT NULL,
  zip STRING NOT NULL,
  state STRING NOT NULL,
  userAgent STRING NOT NULL,
  lon FLOAT64 NOT NULL,
  lat FLOAT64 NOT NULL,
  userId INT64,
  lastName STRING,
  firstName STRING,
  gender STRING,
  registration TIMESTAMP,
  success BOOL NOT NULL,
  kafka_partition INT64,
  kafka_offset INT64
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY userId
OPTIONS (description = 'Raw login attempts, de-duplicated and cleaned');

CREATE TABLE IF NOT EXISTS `streamify.status_change_events` (
  ts TIMESTAMP NOT NULL,
  sessionId INT64 NOT NULL,
  auth STRING NOT NULL,
  level STRING NOT NULL,
  itemInSession INT64 NOT NULL,
  city STRING NOT NULL,
  zip STRING NOT NULL,
  state STRING NOT NULL,
  userAgent STRING NOT NULL,
  lon FLOAT64 NOT NULL,
  lat FLOAT64 NOT NULL,
  userId INT64 NOT NULL,
  lastName STRING NOT NULL,
  firstName STRING NOT NULL,
  gender STRING NOT NULL,
  registration TIMESTAMP NOT NULL,
  kafka_partition INT64,
  kafka_offset INT64
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY userId
OPTIONS (description = 'Raw subscription changes, de-duplicated and cleaned');

CREATE TABLE IF NOT EXISTS `streamify.fact_streams` (
  ts TIMESTAMP NOT NULL,
  datetime_key INT64 NOT NULL,
  session_id INT64 NOT NULL,
  item_in_session INT64 NOT NULL,
  user_id INT64 NOT NULL,
  level STRING NOT NULL,
  song_key INT64 NOT NULL,
  artist_key INT64 NOT NULL,
  location_key INT64 NOT NULL,
  duration FLOAT64 NOT NULL,
  user_agent STRING NOT NULL
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY user_id
OPTIONS (description = 'One row per listen');

CREATE TABLE IF NOT EXISTS `streamify.fact_page_views` (
  ts TIMESTAMP NOT NULL,
  datetime_key INT64 NOT NULL,
  session_id INT64 NOT NULL,
  item_in_session INT64 NOT NULL,
  user_id INT64 NOT NULL,
  level STRING NOT NULL,
  auth STRING NOT NULL,
  page STRING NOT NULL,
  method STRING NOT NULL,
  status INT64 NOT NULL,
  location_key INT64 NOT NULL
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY user_id
OPTIONS (description = 'One row per page view; user_id 0 for guests and logged-out users');

CREATE TABLE IF NOT EXISTS `streamify.fact_logins` (
  ts TIMESTAMP NOT NULL,
  datetime_key INT64 NOT NULL,
  session_id INT64 NOT NULL,
  item_in_session INT64 NOT NULL,
  user_id INT64 NOT NULL,
  level STRING NOT NULL,
  success BOOL NOT NULL,
  location_key INT64 NOT NULL
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY user_id
OPTIONS (description = 'One row per login attempt, successful or not');

CREATE TABLE IF NOT EXISTS `streamify.fact_subscription_changes` (
  ts TIMESTAMP NOT NULL,
  datetime_key INT64 NOT NULL,
  session_id INT64 NOT NULL,
  item_in_session INT64 NOT NULL,
  user_id INT64 NOT NULL,
  from_level STRING NOT NULL,
  to_level STRING NOT NULL,
  location_key INT64 NOT NULL
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY user_id
OPTIONS (description = 'One row per upgrade or downgrade');

CREATE TABLE IF NOT EXISTS `streamify.rejects` (
  ts TIMESTAMP NOT NULL,
  datetime_key INT64 NOT NULL,
  source_table STRING NOT NULL,
  rule STRING NOT NULL,
  detail STRING NOT NULL,
  session_id INT64 NOT NULL,
  item_in_session INT64 NOT NULL,
  kafka_partition INT64,
  kafka_offset INT64,
  record STRING NOT NULL
)
PARTITION BY TIMESTAMP_TRUNC(ts, DAY)
CLUSTER BY source_table, rule
OPTIONS (description = 'Lake rows the warehouse refused, one per row and rule broken: the rule, why, the event\'s identity and Kafka coordinates, and the whole row as JSON');

CREATE TABLE IF NOT EXISTS `streamify.dim_users` (
  user_key INT64 NOT NULL,
  user_id INT64 NOT NULL,
  first_name STRING,
  last_name STRING,
  gender STRING,
  registration TIMESTAMP,
  level STRING NOT NULL,
  row_activation TIMESTAMP NOT NULL,
  row_expiration TIMESTAMP NOT NULL,
  is_current BOOL NOT NULL
)
CLUSTER BY user_id
OPTIONS (description = 'Users, type 2 on level: one row per user and level period');

CREATE TABLE IF NOT EXISTS `streamify.dim_songs` (
  song_key INT64 NOT NULL,
  title STRING NOT NULL,
  artist_key INT64 NOT NULL,
  artist_name STRING NOT NULL,
  duration FLOAT64,
  year INT64,
  song_id STRING,
  in_catalog BOOL NOT NULL
)
OPTIONS (description = 'Songs of the catalog and songs heard but not in it');

CREATE TABLE IF NOT EXISTS `streamify.dim_artists` (
  artist_key INT64 NOT NULL,
  name STRING NOT NULL,
  artist_id STRING,
  in_catalog BOOL NOT NULL
)
OPTIONS (description = 'Artists of the catalog and artists heard but not in it');

CREATE TABLE IF NOT EXISTS `streamify.dim_location` (
  location_key INT64 NOT NULL,
  city STRING NOT NULL,
  state_code STRING NOT NULL,
  state_name STRING NOT NULL,
  zip STRING NOT NULL,
  latitude FLOAT64,
  longitude FLOAT64
)
OPTIONS (description = 'Places users are in');

CREATE TABLE IF NOT EXISTS `streamify.dim_datetime` (
  datetime_key INT64 NOT NULL,
  hour_start TIMESTAMP NOT NULL,
  date DATE NOT NULL,
  year INT64 NOT NULL,
  quarter INT64 NOT NULL,
  month INT64 NOT NULL,
  month_name STRING NOT NULL,
  day INT64 NOT NULL,
  hour INT64 NOT NULL,
  day_of_week INT64 NOT NULL,
  day_name STRING NOT NULL,
  week_of_year INT64 NOT NULL,
  is_weekend BOOL NOT NULL
)
OPTIONS (description = 'Hours, from the first day with events to the last');

CREATE TABLE IF NOT EXISTS `streamify.load_manifests` (
  hour_start TIMESTAMP NOT NULL,
  source_table STRING NOT NULL,
  run_id STRING NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  closed_version STRING NOT NULL,
  lake_files INT64 NOT NULL,
  lake_rows INT64 NOT NULL,
  duplicate_rows INT64 NOT NULL,
  rejected_rows INT64 NOT NULL,
  raw_rows INT64 NOT NULL,
  fact_rows INT64 NOT NULL
)
OPTIONS (description = 'One row per hour, source table and run that loaded it, written in the transaction that replaces the hour\'s rows (DuckDB\'s; on BigQuery the multi-statement transaction after the staging loads): the hour\'s closed mark version, what the lake held and where every row went');
