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
        `r`.`occurred_at` AS `__t`,
        `r`.`product_id` AS `product_id`
      FROM `events` AS `r`
      WHERE
        `r`.`name` = 'added_to_cart'
        AND (
          `r`.`occurred_at` >= CAST('2024-06-24 00:00:00+00' AS TIMESTAMP)
          AND `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
        )
    ) AS `a`
    GROUP BY
      `a`.`__key`
  ) AS `a`
  LEFT JOIN (
    SELECT
      `a`.`__key` AS `__key`,
      `a`.`__t` AS `__t`
    FROM (
      SELECT
        `r`.`customer_id` AS `__key`,
        `r`.`occurred_at` AS `__t`,
        `r`.`product_id` AS `product_id`
      FROM `events` AS `r`
      WHERE
        `r`.`name` = 'added_to_cart'
        AND (
          `r`.`occurred_at` >= CAST('2024-06-24 00:00:00+00' AS TIMESTAMP)
          AND `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
        )
    ) AS `a`
    JOIN (
      SELECT
        `r`.`customer_id` AS `__key`,
        `r`.`occurred_at` AS `__t`,
        `r`.`product_id` AS `product_id`
      FROM `events` AS `r`
      WHERE
        `r`.`name` = 'order_completed'
        AND (
          `r`.`occurred_at` < CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
          AND `r`.`occurred_at` >= CAST('2024-06-24 00:00:00+00' AS TIMESTAMP)
        )
    ) AS `b`
      ON (
        `b`.`__key` = `a`.`__key` AND `b`.`__t` >= `a`.`__t`
      )
      AND (
        `b`.`__t` <= TIMESTAMP_ADD(`a`.`__t`, INTERVAL 7200 SECOND)
        AND `b`.`product_id` = `a`.`product_id`
      )
  ) AS `b`
    ON `b`.`__key` = `a`.`__key` AND `b`.`__t` = `a`.`__t`
  WHERE
    `b`.`__key` IS NULL
    AND TIMESTAMP_ADD(`a`.`__t`, INTERVAL 7200 SECOND) <= CAST('2024-07-01 00:00:00+00' AS TIMESTAMP)
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
