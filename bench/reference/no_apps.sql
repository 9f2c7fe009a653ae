SELECT customer_id FROM customers
WHERE apps IS NULL OR NOT list_has_any(apps, ['ios_app', 'android_app'])
ORDER BY customer_id
