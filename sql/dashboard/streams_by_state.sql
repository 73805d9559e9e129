-- streams_by_state: the map.
SELECT state_code, state_name, COUNT(*) AS streams, COUNT(DISTINCT user_id) AS listeners
FROM {{dataset}}wide_stream
WHERE ts >= @from_ts AND ts < @to_ts
  AND (@state = '' OR state_code = @state)
GROUP BY state_code, state_name
ORDER BY streams DESC, state_code
