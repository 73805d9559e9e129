-- kpis: streams, listeners and hours played in the period, and streams and listeners in the
-- previous period of equal span (for the change): the same length before it, cut at the same hour
-- when the period's data ends early (prev_to_ts, see DashboardQueries.Filter).
SELECT
  SUM(CASE WHEN ts >= @from_ts THEN 1 ELSE 0 END) AS streams,
  SUM(CASE WHEN ts < @from_ts THEN 1 ELSE 0 END) AS previous_streams,
  COUNT(DISTINCT CASE WHEN ts >= @from_ts THEN user_id END) AS listeners,
  COUNT(DISTINCT CASE WHEN ts < @from_ts THEN user_id END) AS previous_listeners,
  ROUND(SUM(CASE WHEN ts >= @from_ts THEN duration ELSE 0 END) / 3600, 1) AS hours_played
FROM {{dataset}}wide_stream
WHERE ((ts >= @prev_from_ts AND ts < @prev_to_ts) OR (ts >= @from_ts AND ts < @to_ts))
  AND (@state = '' OR state_code = @state)
