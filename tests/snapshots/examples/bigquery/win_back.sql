WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    SUM(CASE WHEN COALESCE(`r`.`status` = 'paid', FALSE) THEN `r`.`amount` END) AS `a1`,
    MAX(`r`.`ordered_at`) AS `a2`
  FROM `orders` AS `r`
  GROUP BY
    `r`.`customer_id`
), `__events` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(CASE WHEN COALESCE(`r`.`name` = 'unsubscribed', FALSE) THEN 1 END) AS `a1`
  FROM `events` AS `r`
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
LEFT JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
LEFT JOIN `__events`
  ON `__events`.`__key` = `c`.`customer_id`
WHERE
  (
    COALESCE(`__orders`.`a1`, 0) > 1000
    AND COALESCE(CAST(`__orders`.`a2` AS DATE) < CAST('2024-01-02' AS DATE), FALSE)
  )
  AND NOT (
    COALESCE(`__events`.`a1`, 0) >= 1
  )
ORDER BY
  `c`.`customer_id`
