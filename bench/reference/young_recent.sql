SELECT customer_id FROM customers
WHERE DATE '2024-06-30' - signup_date <= 90 AND coalesce(age, 0) < 30
ORDER BY customer_id
