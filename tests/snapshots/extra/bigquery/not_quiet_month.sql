WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(
      CASE
        WHEN COALESCE(CAST(`r`.`ordered_at` AS DATE) > CAST('2024-05-31' AS DATE), FALSE)
        AND COALESCE(CAST(`r`.`ordered_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        THEN 1
      END
    ) AS `a1`
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
  NOT (
    NOT (
      COALESCE(`__orders`.`a1`, 0) > 0
    )
  )
ORDER BY
  `c`.`customer_id`
