-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT round(avg(amount)::DECIMAL(38, 9), 0) FROM orders o WHERE o.customer_id = c.customer_id) = 100
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM orders GROUP BY customer_id
                      HAVING round(avg(amount)::DECIMAL(38, 9), 0) = 100)
ORDER BY customer_id
