-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM events
                      WHERE name = 'session_start'
                        AND occurred_at >= TIMESTAMP '2024-06-24' AND occurred_at < TIMESTAMP '2024-07-01'
                      GROUP BY customer_id HAVING count(DISTINCT occurred_at::DATE) >= 4)
ORDER BY customer_id;
-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT count(DISTINCT e.occurred_at::DATE) FROM events e
       WHERE e.customer_id = c.customer_id AND e.name = 'session_start'
         AND e.occurred_at >= TIMESTAMP '2024-06-24' AND e.occurred_at < TIMESTAMP '2024-07-01') >= 4
ORDER BY c.customer_id
