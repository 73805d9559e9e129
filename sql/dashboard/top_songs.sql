-- top_songs: the chart busters, the ten songs streamed most in the period.
SELECT song, artist, COUNT(*) AS streams
FROM {{dataset}}wide_stream
WHERE ts >= @from_ts AND ts < @to_ts
  AND (@state = '' OR state_code = @state)
GROUP BY song_key, song, artist
ORDER BY streams DESC, song, artist
LIMIT 10
