-- variant: exists
SELECT c.customer_id FROM customers c
WHERE EXISTS (SELECT 1 FROM events e
              WHERE e.customer_id = c.customer_id AND e.name = 'session_start'
                AND e.city IS DISTINCT FROM 'Seattle'
                AND e.occurred_at >= TIMESTAMP '2024-06-01' AND e.occurred_at < TIMESTAMP '2024-07-01')
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM events
                      WHERE name = 'session_start' AND (city <> 'Seattle' OR city IS NULL)
                        AND occurred_at >= TIMESTAMP '2024-06-01' AND occurred_at < TIMESTAMP '2024-07-01')
ORDER BY customer_id
