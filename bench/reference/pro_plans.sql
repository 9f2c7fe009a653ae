SELECT customer_id FROM customers WHERE plan IN ('pro', 'enterprise') ORDER BY customer_id
