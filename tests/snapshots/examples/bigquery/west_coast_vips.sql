WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(
      CASE
        WHEN COALESCE(CAST(`r`.`ordered_at` AS DATE) > CAST('2024-04-01' AS DATE), FALSE)
        AND COALESCE(CAST(`r`.`ordered_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        THEN 1
      END
    ) AS `a1`,
    SUM(CASE WHEN COALESCE(`r`.`status` = 'paid', FALSE) THEN `r`.`amount` END) AS `a2`
  FROM `orders` AS `r`
  GROUP BY
    `r`.`customer_id`
), `__rank1` AS (
  SELECT
    `c`.`customer_id` AS `__key`,
    (
      ROW_NUMBER() OVER (ORDER BY COALESCE(`__orders`.`a2`, 0) DESC, `c`.`customer_id` ASC NULLS LAST) - 1
    ) * 100 < COUNT(COALESCE(`__orders`.`a2`, 0)) OVER () * 10 AS `w1`
  FROM `customers` AS `c`
  LEFT JOIN `__orders`
    ON `__orders`.`__key` = `c`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
LEFT JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
LEFT JOIN `__rank1`
  ON `__rank1`.`__key` = `c`.`customer_id`
WHERE
  (
    COALESCE(`c`.`region` = 'West Coast', FALSE)
    AND COALESCE(`__orders`.`a1`, 0) >= 3
  )
  AND `__rank1`.`w1`
ORDER BY
  `c`.`customer_id`
