WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    MAX(
      CASE
        WHEN `r`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
        OR `r`.`ordered_at` IS NULL
        THEN `r`.`ordered_at`
      END
    ) AS `a1`,
    COUNT(
      CASE
        WHEN `r`.`ordered_at` >= CAST('2023-07-02 00:00:00+00' AS TIMESTAMP)
        AND `r`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
        THEN 1
      END
    ) AS `a2`
  FROM `orders` AS `r`
  WHERE
    (
      `r`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
      OR `r`.`ordered_at` IS NULL
    )
    OR (
      `r`.`ordered_at` >= CAST('2023-07-02 00:00:00+00' AS TIMESTAMP)
      AND `r`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
    )
  GROUP BY
    `r`.`customer_id`
), `__rank1` AS (
  SELECT
    `c`.`customer_id`,
    `__orders`.`a1` AS `__orders_a1`,
    `__orders`.`a2` AS `__orders_a2`,
    CASE
      WHEN DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) IS NULL
      THEN NULL
      ELSE NTILE(5) OVER (
        PARTITION BY DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) IS NULL
        ORDER BY DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
      )
    END AS `__w1`,
    NTILE(5) OVER (
      ORDER BY COALESCE(`__orders`.`a2`, 0) ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
    ) AS `__w2`
  FROM `customers` AS `c`
  LEFT JOIN `__orders`
    ON `__orders`.`__key` = `c`.`customer_id`
)
SELECT
  `r`.`customer_id`
FROM `__rank1` AS `r`
WHERE
  `r`.`__w1` = 1 AND `r`.`__w2` = 5
ORDER BY
  `r`.`customer_id`
