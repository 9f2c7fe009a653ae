WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    MAX(`r`.`ordered_at`) AS `a1`,
    COUNT(
      CASE
        WHEN COALESCE(CAST(`r`.`ordered_at` AS DATE) > CAST('2023-07-01' AS DATE), FALSE)
        AND COALESCE(CAST(`r`.`ordered_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        THEN 1
      END
    ) AS `a2`
  FROM `orders` AS `r`
  GROUP BY
    `r`.`customer_id`
), `__rank1` AS (
  SELECT
    `c`.`customer_id` AS `__key`,
    CASE
      WHEN DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) IS NULL
      THEN NULL
      ELSE NTILE(5) OVER (
        PARTITION BY DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) IS NULL
        ORDER BY DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
      )
    END AS `w1`,
    NTILE(5) OVER (
      ORDER BY COALESCE(`__orders`.`a2`, 0) ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
    ) AS `w2`
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
  COALESCE(`__rank1`.`w1` = 1, FALSE) AND COALESCE(`__rank1`.`w2` = 5, FALSE)
ORDER BY
  `c`.`customer_id`
