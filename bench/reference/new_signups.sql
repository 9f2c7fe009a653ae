SELECT customer_id FROM customers WHERE signup_date BETWEEN DATE '2024-06-01' AND DATE '2024-06-30' ORDER BY customer_id
