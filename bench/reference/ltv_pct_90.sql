-- variant: correlated
WITH ltv AS (
  SELECT c.customer_id,
         coalesce((SELECT sum(amount) FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL) AND o.status = 'paid'), 0) AS v
  FROM customers c
)
SELECT customer_id FROM (
  SELECT customer_id, 100.0 * (row_number() OVER (ORDER BY v, customer_id) - 1) / (count(*) OVER () - 1) AS pct FROM ltv
) WHERE pct >= 90
ORDER BY customer_id;
-- variant: join
WITH ltv AS (SELECT customer_id, sum(amount) AS v FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) AND status = 'paid' GROUP BY customer_id)
SELECT customer_id FROM (
  SELECT c.customer_id,
         100.0 * (row_number() OVER (ORDER BY coalesce(l.v, 0), c.customer_id) - 1) / (count(*) OVER () - 1) AS pct
  FROM customers c LEFT JOIN ltv l ON l.customer_id = c.customer_id
) WHERE pct >= 90
ORDER BY customer_id
