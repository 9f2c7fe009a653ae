-- variant: correlated
SELECT c.customer_id FROM customers c
WHERE (SELECT o.channel FROM orders o
       WHERE o.customer_id = c.customer_id AND o.ordered_at < TIMESTAMP '2024-07-01'
       ORDER BY o.ordered_at ASC, o.channel ASC NULLS LAST LIMIT 1) = 'store'
ORDER BY c.customer_id;
-- variant: window
SELECT customer_id FROM (
  SELECT customer_id, channel,
         row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at ASC, channel ASC NULLS LAST) AS rn
  FROM orders WHERE ordered_at < TIMESTAMP '2024-07-01'
) WHERE rn = 1 AND channel = 'store'
ORDER BY customer_id
