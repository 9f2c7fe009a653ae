-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT count(*) FROM orders o
       WHERE o.customer_id = c.customer_id
         AND o.ordered_at >= TIMESTAMP '2024-04-02' AND o.ordered_at < TIMESTAMP '2024-07-01') >= 3
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM orders
                      WHERE ordered_at >= TIMESTAMP '2024-04-02' AND ordered_at < TIMESTAMP '2024-07-01'
                      GROUP BY customer_id HAVING count(*) >= 3)
ORDER BY customer_id
