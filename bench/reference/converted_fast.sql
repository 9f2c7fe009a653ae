-- variant: exists
-- a checkout followed by an order within a day (both seen: before now, 1 July 2024 00:00)
SELECT c.customer_id FROM customers c
WHERE EXISTS (SELECT 1 FROM events a JOIN events b
                ON b.customer_id = a.customer_id AND b.name = 'order_completed'
               AND b.occurred_at >= a.occurred_at AND b.occurred_at <= a.occurred_at + INTERVAL 1 DAY
               AND b.occurred_at < TIMESTAMP '2024-07-01'
              WHERE a.customer_id = c.customer_id AND a.name = 'checkout_started'
                AND a.occurred_at < TIMESTAMP '2024-07-01')
ORDER BY c.customer_id;
-- variant: in
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT a.customer_id FROM events a JOIN events b
                        ON b.customer_id = a.customer_id AND b.name = 'order_completed'
                       AND b.occurred_at BETWEEN a.occurred_at AND a.occurred_at + INTERVAL 1 DAY
                       AND b.occurred_at < TIMESTAMP '2024-07-01'
                      WHERE a.name = 'checkout_started' AND a.occurred_at < TIMESTAMP '2024-07-01')
ORDER BY customer_id
