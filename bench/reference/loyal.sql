-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT count(DISTINCT ordered_at) FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL)) >= 12
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) GROUP BY customer_id HAVING count(DISTINCT ordered_at) >= 12)
ORDER BY customer_id
