WITH `__events` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(
      CASE
        WHEN `r`.`occurred_at` >= CAST('2024-06-01 00:00:00+00' AS TIMESTAMP)
        AND (
          `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
          AND `r`.`name` = 'email_open'
        )
        THEN 1
      END
    ) AS `a1`,
    COUNT(
      CASE
        WHEN `r`.`name` = 'demo_requested'
        AND (
          `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
          OR `r`.`occurred_at` IS NULL
        )
        THEN 1
      END
    ) AS `a2`
  FROM `events` AS `r`
  WHERE
    (
      `r`.`occurred_at` >= CAST('2024-06-01 00:00:00+00' AS TIMESTAMP)
      AND (
        `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
        AND `r`.`name` = 'email_open'
      )
    )
    OR (
      `r`.`name` = 'demo_requested'
      AND (
        `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
        OR `r`.`occurred_at` IS NULL
      )
    )
  GROUP BY
    `r`.`customer_id`
), `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    MAX(`r`.`ordered_at`) AS `a1`
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
LEFT JOIN `__events`
  ON `__events`.`__key` = `c`.`customer_id`
LEFT JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
WHERE
  (
    CASE WHEN COALESCE(`__events`.`a1`, 0) >= 3 THEN 10 ELSE 0 END + CASE WHEN COALESCE(`__events`.`a2`, 0) >= 1 THEN 20 ELSE 0 END + CASE
      WHEN COALESCE(`__orders`.`a1` < CAST('2024-04-01 00:00:00+00' AS TIMESTAMP), FALSE)
      THEN -15
      ELSE 0
    END
  ) >= 25
ORDER BY
  `c`.`customer_id`
