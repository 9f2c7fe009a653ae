SELECT customer_id FROM customers WHERE year(signup_date) = 2023 AND month(signup_date) = 2 ORDER BY customer_id
