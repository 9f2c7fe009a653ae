SELECT customer_id FROM customers WHERE email ILIKE '%@gmail.com' ORDER BY customer_id
