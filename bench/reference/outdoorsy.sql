SELECT customer_id FROM customers WHERE list_has_any(interests, ['hiking', 'camping', 'climbing']) ORDER BY customer_id
