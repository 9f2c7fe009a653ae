-- variant: join
WITH ltv AS (SELECT customer_id, sum(amount) AS v FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) AND status = 'paid' GROUP BY customer_id),
pct AS (
  SELECT c.customer_id, c.region,
         100.0 * (row_number() OVER (ORDER BY coalesce(l.v, 0), c.customer_id) - 1) / (count(*) OVER () - 1) AS p
  FROM customers c LEFT JOIN ltv l ON l.customer_id = c.customer_id
)
SELECT customer_id FROM (SELECT customer_id, region, ntile(4) OVER (ORDER BY p, customer_id) AS q FROM pct)
WHERE q = 4 AND region = 'South'
ORDER BY customer_id
