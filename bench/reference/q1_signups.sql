SELECT customer_id FROM customers WHERE signup_date BETWEEN DATE '2024-01-01' AND DATE '2024-03-31' ORDER BY customer_id
