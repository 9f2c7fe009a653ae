-- variant: having
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM events
                      WHERE name = 'order_completed' AND occurred_at < TIMESTAMP '2024-07-01'
                      GROUP BY customer_id HAVING min(occurred_at) >= TIMESTAMP '2024-06-01')
ORDER BY customer_id;
-- variant: exists and not exists
SELECT c.customer_id FROM customers c
WHERE EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id AND e.name = 'order_completed'
                AND e.occurred_at >= TIMESTAMP '2024-06-01' AND e.occurred_at < TIMESTAMP '2024-07-01')
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id AND e.name = 'order_completed'
                    AND e.occurred_at < TIMESTAMP '2024-06-01')
ORDER BY c.customer_id
