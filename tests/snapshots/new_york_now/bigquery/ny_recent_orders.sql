WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`
  FROM `orders` AS `r`
  WHERE
    DATE(`r`.`ordered_at`, 'America/New_York') > DATE_SUB(CURRENT_DATE('America/New_York'), INTERVAL 7 DAY)
    AND (
      DATE(`r`.`ordered_at`, 'America/New_York') <= CURRENT_DATE('America/New_York')
      AND `r`.`ordered_at` < CURRENT_TIMESTAMP()
    )
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
WHERE
  NOT `__orders`.`__key` IS NULL
ORDER BY
  `c`.`customer_id`
