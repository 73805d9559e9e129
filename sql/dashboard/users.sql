-- users: every registered user seen up to the period's end (any page, not only listens), by the
-- place of their visits when a state is chosen.
SELECT COUNT(DISTINCT f.user_id) AS users
FROM {{dataset}}fact_page_views AS f
JOIN {{dataset}}dim_location AS l ON l.location_key = f.location_key
WHERE f.ts < @to_ts AND f.user_id <> 0
  AND (@state = '' OR l.state_code = @state)
