-- variant: latest
-- the latest checkout of the last 7 days, at least a day before now, with no order in the day after it
WITH latest AS (
  SELECT customer_id, max(occurred_at) AS t FROM events
  WHERE name = 'checkout_started'
    AND occurred_at >= TIMESTAMP '2024-06-24' AND occurred_at < TIMESTAMP '2024-07-01'
  GROUP BY customer_id
)
SELECT l.customer_id FROM latest l
WHERE l.t + INTERVAL 1 DAY <= TIMESTAMP '2024-07-01'
  AND NOT EXISTS (SELECT 1 FROM events b
                  WHERE b.customer_id = l.customer_id AND b.name = 'order_completed'
                    AND b.occurred_at >= l.t AND b.occurred_at <= l.t + INTERVAL 1 DAY
                    AND b.occurred_at < TIMESTAMP '2024-07-01')
ORDER BY l.customer_id;
-- variant: anti join
WITH latest AS (
  SELECT customer_id, max(occurred_at) AS t FROM events
  WHERE name = 'checkout_started'
    AND occurred_at >= TIMESTAMP '2024-06-24' AND occurred_at < TIMESTAMP '2024-07-01'
  GROUP BY customer_id
), converted AS (
  SELECT DISTINCT l.customer_id FROM latest l JOIN events b
    ON b.customer_id = l.customer_id AND b.name = 'order_completed'
   AND b.occurred_at BETWEEN l.t AND l.t + INTERVAL 1 DAY AND b.occurred_at < TIMESTAMP '2024-07-01'
)
SELECT customer_id FROM latest
WHERE t <= TIMESTAMP '2024-06-30' AND customer_id NOT IN (SELECT customer_id FROM converted)
ORDER BY customer_id
