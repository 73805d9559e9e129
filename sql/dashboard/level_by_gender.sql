-- level_by_gender: listeners in the period by gender and by the level they listened at (a user
-- who upgraded within the period counts at both levels).
SELECT gender, level, COUNT(DISTINCT user_id) AS listeners
FROM {{dataset}}wide_stream
WHERE ts >= @from_ts AND ts < @to_ts
  AND (@state = '' OR state_code = @state)
GROUP BY gender, level
ORDER BY gender, level
