-- variant: exists
SELECT c.customer_id FROM customers c
WHERE EXISTS (SELECT 1 FROM orders o
              WHERE o.customer_id = c.customer_id AND o.amount > 300
                AND o.ordered_at >= TIMESTAMP '2024-03-31' AND o.ordered_at < TIMESTAMP '2024-07-01')
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM orders
                      WHERE amount > 300
                        AND ordered_at >= TIMESTAMP '2024-03-31' AND ordered_at < TIMESTAMP '2024-07-01')
ORDER BY customer_id
