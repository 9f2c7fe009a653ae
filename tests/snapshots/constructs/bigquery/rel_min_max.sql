WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    MIN(`r`.`amount`) AS `a1`,
    MAX(`r`.`ordered_at`) AS `a2`
  FROM `orders` AS `r`
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
LEFT JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
WHERE
  COALESCE(`__orders`.`a1` < 10, FALSE)
  AND COALESCE(CAST(`__orders`.`a2` AS DATE) > CAST('2024-01-01' AS DATE), FALSE)
ORDER BY
  `c`.`customer_id`
