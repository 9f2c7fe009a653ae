-- variant: correlated
WITH ltv AS (
  SELECT c.customer_id,
         coalesce((SELECT sum(amount) FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL) AND o.status = 'paid'), 0) AS v
  FROM customers c
)
SELECT customer_id FROM (SELECT customer_id FROM ltv ORDER BY v DESC, customer_id LIMIT 100)
ORDER BY customer_id;
-- variant: join
WITH ltv AS (SELECT customer_id, sum(amount) AS v FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) AND status = 'paid' GROUP BY customer_id)
SELECT customer_id FROM (
  SELECT c.customer_id FROM customers c LEFT JOIN ltv l ON l.customer_id = c.customer_id
  ORDER BY coalesce(l.v, 0) DESC, c.customer_id LIMIT 100
) ORDER BY customer_id
