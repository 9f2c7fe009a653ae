-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT count(*) FROM events e WHERE e.customer_id = c.customer_id AND e.name = 'email_open') <= 2
ORDER BY c.customer_id;
-- variant: not in
SELECT customer_id FROM customers
WHERE customer_id NOT IN (SELECT customer_id FROM events WHERE name = 'email_open'
                          GROUP BY customer_id HAVING count(*) > 2)
ORDER BY customer_id
