-- top_artists: the ten artists streamed most in the period.
SELECT artist, COUNT(*) AS streams, COUNT(DISTINCT user_id) AS listeners
FROM {{dataset}}wide_stream
WHERE ts >= @from_ts AND ts < @to_ts
  AND (@state = '' OR state_code = @state)
GROUP BY artist_key, artist
ORDER BY streams DESC, artist
LIMIT 10
