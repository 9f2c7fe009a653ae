SELECT customer_id FROM customers WHERE age BETWEEN 25 AND 34 AND gender = 'female' ORDER BY customer_id
