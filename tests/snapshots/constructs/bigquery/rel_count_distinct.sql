WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(DISTINCT `r`.`channel`) AS `a1`
  FROM `orders` AS `r`
  WHERE
    `r`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
    OR `r`.`ordered_at` IS NULL
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
WHERE
  COALESCE(`__orders`.`a1`, 0) >= 2
ORDER BY
  `c`.`customer_id`
