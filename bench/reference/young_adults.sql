SELECT customer_id FROM customers WHERE age >= 18 AND age < 35 ORDER BY customer_id
