SELECT customer_id FROM customers
WHERE renewal_date >= DATE '2024-06-30' AND renewal_date < DATE '2024-06-30' + 30
ORDER BY customer_id
