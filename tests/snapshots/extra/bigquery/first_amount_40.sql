WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    MAX(
      CASE
        WHEN (
          (
            COALESCE(`r`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP), FALSE)
            OR `r`.`ordered_at` IS NULL
          )
          AND NOT `r`.`ordered_at` IS NULL
        )
        AND `r`.`__rn1` = 1
        THEN `r`.`amount`
      END
    ) AS `a1`
  FROM (
    SELECT
      `orders`.*,
      ROW_NUMBER() OVER (
        PARTITION BY `orders`.`customer_id`, (
          COALESCE(`orders`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP), FALSE)
          OR `orders`.`ordered_at` IS NULL
        )
        AND NOT `orders`.`ordered_at` IS NULL
        ORDER BY `orders`.`ordered_at` ASC NULLS LAST, `orders`.`amount` ASC NULLS LAST
      ) AS `__rn1`
    FROM `orders`
    WHERE
      (
        `orders`.`ordered_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
        OR `orders`.`ordered_at` IS NULL
      )
      AND NOT `orders`.`ordered_at` IS NULL
  ) AS `r`
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
WHERE
  `__orders`.`a1` = 40
ORDER BY
  `c`.`customer_id`
