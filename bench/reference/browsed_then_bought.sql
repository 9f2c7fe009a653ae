-- variant: exists
-- a product view of the last 30 days, an add-to-cart within 3 days of it, an order within
-- 3 days of that add-to-cart (all seen: before now)
SELECT c.customer_id FROM customers c
WHERE EXISTS (
  SELECT 1 FROM events v
  JOIN events a ON a.customer_id = v.customer_id AND a.name = 'added_to_cart'
   AND a.occurred_at BETWEEN v.occurred_at AND v.occurred_at + INTERVAL 3 DAY
   AND a.occurred_at < TIMESTAMP '2024-07-01'
  JOIN events o ON o.customer_id = a.customer_id AND o.name = 'order_completed'
   AND o.occurred_at BETWEEN a.occurred_at AND a.occurred_at + INTERVAL 3 DAY
   AND o.occurred_at < TIMESTAMP '2024-07-01'
  WHERE v.customer_id = c.customer_id AND v.name = 'product_viewed'
    AND v.occurred_at >= TIMESTAMP '2024-06-01' AND v.occurred_at < TIMESTAMP '2024-07-01')
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (
  SELECT v.customer_id FROM events v
  JOIN events a ON a.customer_id = v.customer_id AND a.name = 'added_to_cart'
   AND a.occurred_at BETWEEN v.occurred_at AND v.occurred_at + INTERVAL 3 DAY
   AND a.occurred_at < TIMESTAMP '2024-07-01'
  JOIN events o ON o.customer_id = a.customer_id AND o.name = 'order_completed'
   AND o.occurred_at BETWEEN a.occurred_at AND a.occurred_at + INTERVAL 3 DAY
   AND o.occurred_at < TIMESTAMP '2024-07-01'
  WHERE v.name = 'product_viewed'
    AND v.occurred_at >= TIMESTAMP '2024-06-01' AND v.occurred_at < TIMESTAMP '2024-07-01')
ORDER BY customer_id
