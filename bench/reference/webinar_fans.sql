-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT count(*) FROM events e
       WHERE e.customer_id = c.customer_id AND e.name = 'webinar_attended'
         AND e.occurred_at >= TIMESTAMP '2023-07-02' AND e.occurred_at < TIMESTAMP '2024-07-01') >= 2
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM events
                      WHERE name = 'webinar_attended'
                        AND occurred_at >= TIMESTAMP '2023-07-02' AND occurred_at < TIMESTAMP '2024-07-01'
                      GROUP BY customer_id HAVING count(*) >= 2)
ORDER BY customer_id
