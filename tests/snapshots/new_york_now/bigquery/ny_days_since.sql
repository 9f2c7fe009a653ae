WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    MAX(`r`.`ordered_at`) AS `a1`
  FROM `orders` AS `r`
  WHERE
    `r`.`ordered_at` < CURRENT_TIMESTAMP() OR `r`.`ordered_at` IS NULL
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
LEFT JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
WHERE
  DATE_DIFF(CURRENT_DATE('America/New_York'), DATE(`__orders`.`a1`, 'America/New_York'), DAY) < 10
ORDER BY
  `c`.`customer_id`
