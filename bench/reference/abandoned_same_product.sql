-- variant: latest
-- the latest add-to-cart of the last 7 days, at least 2 hours before now, with no order of
-- that product (a missing product matches nothing) in the 2 hours after it
WITH ranked AS (
  SELECT customer_id, occurred_at AS t, product_id,
         row_number() OVER (PARTITION BY customer_id ORDER BY occurred_at DESC) AS rn
  FROM events
  WHERE name = 'added_to_cart'
    AND occurred_at >= TIMESTAMP '2024-06-24' AND occurred_at < TIMESTAMP '2024-07-01'
)
SELECT l.customer_id FROM ranked l
WHERE l.rn = 1 AND l.t + INTERVAL 2 HOUR <= TIMESTAMP '2024-07-01'
  AND NOT EXISTS (SELECT 1 FROM events b
                  WHERE b.customer_id = l.customer_id AND b.name = 'order_completed'
                    AND b.product_id = l.product_id
                    AND b.occurred_at >= l.t AND b.occurred_at <= l.t + INTERVAL 2 HOUR
                    AND b.occurred_at < TIMESTAMP '2024-07-01')
ORDER BY l.customer_id
