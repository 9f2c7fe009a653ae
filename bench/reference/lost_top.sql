-- variant: join
WITH ltv AS (SELECT customer_id, sum(amount) AS v FROM orders WHERE (ordered_at < TIMESTAMP '2024-07-01' OR ordered_at IS NULL) AND status = 'paid' GROUP BY customer_id),
top_decile AS (
  SELECT customer_id FROM (
    SELECT c.customer_id, row_number() OVER (ORDER BY coalesce(l.v, 0) DESC, c.customer_id) AS rn, count(*) OVER () AS n
    FROM customers c LEFT JOIN ltv l ON l.customer_id = c.customer_id
  ) WHERE rn <= ceil(n * 10 / 100.0)
)
SELECT customer_id FROM customers
WHERE customer_id IN (SELECT member_key FROM segdsl_snapshots
                      WHERE segment = 'top_decile'
                        AND snapshot_id = (SELECT max(snapshot_id) FROM segdsl_snapshots
                                           WHERE segment = 'top_decile' AND as_of <= DATE '2024-06-15'))
  AND customer_id NOT IN (SELECT customer_id FROM top_decile)
ORDER BY customer_id
