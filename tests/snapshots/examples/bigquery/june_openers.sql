WITH `__events` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(*) AS `a1`
  FROM `events` AS `r`
  WHERE
    `r`.`occurred_at` >= CAST('2024-05-01 00:00:00+00' AS TIMESTAMP)
    AND (
      `r`.`occurred_at` < CAST('2024-06-01 00:00:00+00' AS TIMESTAMP)
      AND `r`.`name` = 'email_open'
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
  COALESCE(`__events`.`a1`, 0) >= 2
ORDER BY
  `c`.`customer_id`
