SELECT customer_id FROM customers WHERE email IS NOT NULL AND phone IS NULL ORDER BY customer_id
