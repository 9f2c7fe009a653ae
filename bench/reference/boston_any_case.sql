SELECT customer_id FROM customers WHERE lower(city) = 'boston' ORDER BY customer_id
