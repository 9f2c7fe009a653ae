WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(*) AS `a1`
  FROM `orders` AS `r`
  WHERE
    `r`.`ordered_at` >= CAST('2024-04-02 00:00:00+00' AS TIMESTAMP)
    AND `r`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
WHERE
  `c`.`region` = 'East Coast' AND COALESCE(`__orders`.`a1`, 0) >= 3
ORDER BY
  `c`.`customer_id`
