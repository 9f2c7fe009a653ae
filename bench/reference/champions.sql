-- variant: correlated
WITH per AS (
  SELECT c.customer_id,
         DATE '2024-06-30' - (SELECT max(ordered_at) FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL))::DATE AS days,
         (SELECT count(*) FROM orders o
          WHERE o.customer_id = c.customer_id
            AND o.ordered_at >= TIMESTAMP '2023-07-02' AND o.ordered_at < TIMESTAMP '2024-07-01') AS n365
  FROM customers c
), ranked AS (
  SELECT customer_id,
         CASE WHEN days IS NOT NULL THEN ntile(5) OVER (PARTITION BY days IS NULL ORDER BY days, customer_id) END AS recency,
         ntile(5) OVER (ORDER BY n365, customer_id) AS frequency
  FROM per
)
SELECT customer_id FROM ranked WHERE recency = 1 AND frequency = 5
ORDER BY customer_id;
-- variant: join
WITH o AS (
  SELECT customer_id, max(ordered_at) AS last_at,
         count(*) FILTER (WHERE ordered_at >= TIMESTAMP '2023-07-02' AND ordered_at < TIMESTAMP '2024-07-01') AS n365
  FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) GROUP BY customer_id
), per AS (
  SELECT c.customer_id, DATE '2024-06-30' - o.last_at::DATE AS days, coalesce(o.n365, 0) AS n365
  FROM customers c LEFT JOIN o ON o.customer_id = c.customer_id
), ranked AS (
  SELECT customer_id,
         CASE WHEN days IS NOT NULL THEN ntile(5) OVER (PARTITION BY days IS NULL ORDER BY days, customer_id) END AS recency,
         ntile(5) OVER (ORDER BY n365, customer_id) AS frequency
  FROM per
)
SELECT customer_id FROM ranked WHERE recency = 1 AND frequency = 5
ORDER BY customer_id
