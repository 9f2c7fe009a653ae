SELECT customer_id FROM customers WHERE is_subscribed IS NOT TRUE ORDER BY customer_id
