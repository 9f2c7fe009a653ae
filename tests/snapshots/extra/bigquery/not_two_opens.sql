WITH `__events` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(*) AS `a1`
  FROM `events` AS `r`
  WHERE
    `r`.`name` = 'email_open'
    AND (
      `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
      OR `r`.`occurred_at` IS NULL
    )
  GROUP BY
    `r`.`customer_id`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
LEFT JOIN `__events`
  ON `__events`.`__key` = `c`.`customer_id`
WHERE
  NOT (
    COALESCE(`__events`.`a1`, 0) = 2
  )
ORDER BY
  `c`.`customer_id`
