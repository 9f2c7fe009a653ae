WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    SUM(`r`.`amount`) AS `a1`
  FROM `orders` AS `r`
  WHERE
    (
      `r`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
      OR `r`.`ordered_at` IS NULL
    )
    AND `r`.`status` = 'paid'
  GROUP BY
    `r`.`customer_id`
), `__rank1` AS (
  SELECT
    `c`.`customer_id`,
    `__orders`.`a1` AS `__orders_a1`,
    NTILE(10) OVER (
      ORDER BY COALESCE(`__orders`.`a1`, 0) ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
    ) AS `__w1`
  FROM `customers` AS `c`
  LEFT JOIN `__orders`
    ON `__orders`.`__key` = `c`.`customer_id`
), `__rank2` AS (
  SELECT
    `r`.*,
    CASE
      WHEN `r`.`__w1` IS NULL
      THEN NULL
      WHEN COUNT(`r`.`__w1`) OVER () = 1
      THEN CAST(100 AS FLOAT64)
      ELSE CAST(100 * (
        ROW_NUMBER() OVER (
          PARTITION BY `r`.`__w1` IS NULL
          ORDER BY `r`.`__w1` ASC NULLS LAST, `r`.`customer_id` ASC NULLS LAST
        ) - 1
      ) AS FLOAT64) / CAST(COUNT(`r`.`__w1`) OVER () - 1 AS FLOAT64)
    END AS `__w2`
  FROM `__rank1` AS `r`
)
SELECT
  `r`.`customer_id`
FROM `__rank2` AS `r`
WHERE
  `r`.`__w2` > 50
ORDER BY
  `r`.`customer_id`
