-- variant: in
-- the last 4 weeks are the 7-day blocks ending on 30 June 2024: week k holds the days
-- 30 June - 7k .. 30 June - 7k - 6
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM events
                      WHERE name = 'session_start'
                        AND occurred_at >= TIMESTAMP '2024-06-03' AND occurred_at < TIMESTAMP '2024-07-01'
                      GROUP BY customer_id
                      HAVING count(DISTINCT (DATE '2024-06-30' - occurred_at::DATE) // 7) >= 3)
ORDER BY customer_id;
-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT count(DISTINCT (DATE '2024-06-30' - e.occurred_at::DATE) // 7) FROM events e
       WHERE e.customer_id = c.customer_id AND e.name = 'session_start'
         AND e.occurred_at >= TIMESTAMP '2024-06-03' AND e.occurred_at < TIMESTAMP '2024-07-01') >= 3
ORDER BY c.customer_id
