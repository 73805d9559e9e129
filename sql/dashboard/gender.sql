-- gender: listeners in the period by gender.
SELECT gender, COUNT(DISTINCT user_id) AS listeners
FROM {{dataset}}wide_stream
WHERE ts >= @from_ts AND ts < @to_ts
  AND (@state = '' OR state_code = @state)
GROUP BY gender
ORDER BY gender
