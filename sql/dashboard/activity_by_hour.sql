-- activity_by_hour: streams per hour of day (UTC) on the period's last day and on the day before.
SELECT
  hour,
  SUM(CASE WHEN ts >= @day_start THEN 1 ELSE 0 END) AS streams,
  SUM(CASE WHEN ts < @day_start THEN 1 ELSE 0 END) AS previous_day_streams
FROM {{dataset}}wide_stream
WHERE ts >= @prev_day_start AND ts < @day_end
  AND (@state = '' OR state_code = @state)
GROUP BY hour
ORDER BY hour
