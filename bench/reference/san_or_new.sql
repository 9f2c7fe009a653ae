SELECT customer_id FROM customers WHERE city ILIKE '%san%' OR city ILIKE 'new%' ORDER BY customer_id
