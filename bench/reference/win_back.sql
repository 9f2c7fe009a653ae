-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT sum(amount) FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL) AND o.status = 'paid') > 1000
  AND (SELECT max(ordered_at) FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL)) < TIMESTAMP '2024-01-02'
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id AND e.name = 'unsubscribed')
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) GROUP BY customer_id
                      HAVING sum(amount) FILTER (WHERE status = 'paid') > 1000
                         AND max(ordered_at) < TIMESTAMP '2024-01-02')
  AND customer_id NOT IN (SELECT customer_id FROM events WHERE name = 'unsubscribed')
ORDER BY customer_id
