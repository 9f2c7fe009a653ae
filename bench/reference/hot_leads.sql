-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE CASE WHEN (SELECT count(*) FROM events e
                 WHERE e.customer_id = c.customer_id AND e.name = 'email_open'
                   AND e.occurred_at >= TIMESTAMP '2024-06-01' AND e.occurred_at < TIMESTAMP '2024-07-01') >= 3
           THEN 10 ELSE 0 END
    + CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id AND e.name = 'demo_requested')
           THEN 20 ELSE 0 END
    - CASE WHEN (SELECT max(ordered_at) FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL)) < TIMESTAMP '2024-04-01'
           THEN 15 ELSE 0 END >= 25
ORDER BY c.customer_id;
-- variant: in
SELECT c.customer_id
FROM customers c
LEFT JOIN (SELECT customer_id, max(ordered_at) AS last_order_at FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) GROUP BY customer_id) l
  ON l.customer_id = c.customer_id
WHERE CASE WHEN c.customer_id IN (SELECT customer_id FROM events
                                  WHERE name = 'email_open'
                                    AND occurred_at >= TIMESTAMP '2024-06-01' AND occurred_at < TIMESTAMP '2024-07-01'
                                  GROUP BY customer_id HAVING count(*) >= 3) THEN 10 ELSE 0 END
    + CASE WHEN c.customer_id IN (SELECT customer_id FROM events WHERE name = 'demo_requested') THEN 20 ELSE 0 END
    - CASE WHEN l.last_order_at < TIMESTAMP '2024-04-01' THEN 15 ELSE 0 END >= 25
ORDER BY c.customer_id
