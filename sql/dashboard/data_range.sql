-- data_range: the first and last listen in the warehouse, and how many there are (the dashboard
-- refreshes when this changes).
SELECT MIN(ts) AS first_ts, MAX(ts) AS last_ts, COUNT(*) AS streams
FROM {{dataset}}fact_streams
