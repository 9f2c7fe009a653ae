WITH `__events` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(
      DISTINCT DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`r`.`occurred_at` AS DATE), DAY) - (
        MOD(DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`r`.`occurred_at` AS DATE), DAY), 7)
      )
    ) AS `a1`
  FROM `events` AS `r`
  WHERE
    `r`.`name` = 'session_start'
    AND (
      `r`.`occurred_at` >= CAST('2024-06-03 00:00:00+00' AS TIMESTAMP)
      AND `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
    )
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
JOIN `__events`
  ON `__events`.`__key` = `c`.`customer_id`
WHERE
  COALESCE(`__events`.`a1`, 0) >= 3
ORDER BY
  `c`.`customer_id`
