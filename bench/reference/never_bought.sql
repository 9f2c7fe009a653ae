-- variant: not exists
SELECT c.customer_id FROM customers c
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL))
ORDER BY c.customer_id;
-- variant: not in
SELECT customer_id FROM customers
WHERE customer_id NOT IN (SELECT customer_id FROM orders WHERE ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL)
ORDER BY customer_id
