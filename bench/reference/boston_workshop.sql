-- variant: exists
SELECT c.customer_id FROM customers c
WHERE EXISTS (SELECT 1 FROM events e
              WHERE e.customer_id = c.customer_id AND e.name = 'workshop_registered' AND e.city = 'Boston')
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT customer_id FROM events WHERE name = 'workshop_registered' AND city = 'Boston')
ORDER BY customer_id
