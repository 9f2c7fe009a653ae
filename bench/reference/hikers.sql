SELECT customer_id FROM customers WHERE list_contains(interests, 'hiking') ORDER BY customer_id
