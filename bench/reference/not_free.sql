SELECT customer_id FROM customers WHERE plan IS DISTINCT FROM 'free' ORDER BY customer_id
