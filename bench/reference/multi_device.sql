SELECT customer_id FROM customers WHERE list_has_all(devices, ['mobile', 'desktop']) ORDER BY customer_id
