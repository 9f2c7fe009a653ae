-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT sum(amount) FROM orders o WHERE o.customer_id = c.customer_id AND (o.ordered_at < TIMESTAMP '2024-07-01' OR o.ordered_at IS NULL) AND o.status = 'paid') > 500
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) AND status = 'paid'
                      GROUP BY customer_id HAVING sum(amount) > 500)
ORDER BY customer_id
