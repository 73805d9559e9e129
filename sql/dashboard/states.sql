-- states: the states in the warehouse, for the filter.
SELECT state_code, state_name
FROM {{dataset}}dim_location
WHERE state_code <> ''
GROUP BY state_code, state_name
ORDER BY state_name
