-- variant: join
-- the first ceil(5% of the region's customers) by lifetime value, ties by key; no region, no rank
WITH ltv AS (SELECT customer_id, sum(amount) AS v FROM orders
             WHERE status = 'paid' AND (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL)
             GROUP BY customer_id)
SELECT customer_id FROM (
  SELECT c.customer_id,
         row_number() OVER (PARTITION BY c.region ORDER BY coalesce(l.v, 0) DESC, c.customer_id) AS rn,
         count(*) OVER (PARTITION BY c.region) AS n
  FROM customers c LEFT JOIN ltv l ON l.customer_id = c.customer_id
  WHERE c.region IS NOT NULL
) WHERE rn <= ceil(n * 5 / 100.0)
ORDER BY customer_id;
-- variant: correlated
WITH ltv AS (
  SELECT c.customer_id, c.region,
         coalesce((SELECT sum(amount) FROM orders o WHERE o.customer_id = c.customer_id AND o.status = 'paid'
                     AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL)), 0) AS v
  FROM customers c WHERE c.region IS NOT NULL
)
SELECT customer_id FROM (
  SELECT customer_id, row_number() OVER (PARTITION BY region ORDER BY v DESC, customer_id) AS rn,
         count(*) OVER (PARTITION BY region) AS n FROM ltv
) WHERE rn <= ceil(n * 5 / 100.0)
ORDER BY customer_id
