SELECT customer_id FROM customers WHERE region <> 'West Coast' OR region IS NULL ORDER BY customer_id
