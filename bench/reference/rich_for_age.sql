SELECT customer_id FROM customers WHERE income / 1000 + age > 100 AND abs(age - 40) <= 5 ORDER BY customer_id
