WITH `__sequence1` AS (
  SELECT
    `a`.`__key` AS `__key`
  FROM (
    SELECT
      `a`.`__key` AS `__key`,
      MAX(`a`.`__t`) AS `__t`
    FROM (
      SELECT
        `r`.`customer_id` AS `__key`,
        `r`.`occurred_at` AS `__t`
      FROM `events` AS `r`
      WHERE
        `r`.`name` = 'checkout_started'
        AND (
          `r`.`occurred_at` >= CAST('2024-06-27 00:00:00+00' AS TIMESTAMP)
          AND `r`.`occurred_at` < CAST('2024-06-28 00:00:00+00' AS TIMESTAMP)
        )
    ) AS `a`
    GROUP BY
      `a`.`__key`
  ) AS `a`
  LEFT JOIN (
    SELECT
      `r`.`customer_id` AS `__key`,
      `r`.`occurred_at` AS `__t`
    FROM `events` AS `r`
    WHERE
      `r`.`name` = 'order_completed'
      AND (
        `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
        AND `r`.`occurred_at` >= CAST('2024-06-27 00:00:00+00' AS TIMESTAMP)
      )
  ) AS `b`
    ON `b`.`__key` = `a`.`__key`
    AND (
      `b`.`__t` >= `a`.`__t`
      AND `b`.`__t` <= TIMESTAMP_ADD(`a`.`__t`, INTERVAL 86400 SECOND)
    )
  WHERE
    `b`.`__key` IS NULL
    AND TIMESTAMP_ADD(`a`.`__t`, INTERVAL 86400 SECOND) <= CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
LEFT JOIN `__sequence1`
  ON `__sequence1`.`__key` = `c`.`customer_id`
WHERE
  NOT `__sequence1`.`__key` IS NULL
ORDER BY
  `c`.`customer_id`
