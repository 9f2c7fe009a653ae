WITH `__rank1` AS (
  SELECT
    `c`.`customer_id` AS `__key`,
    CASE
      WHEN `c`.`income` IS NULL
      THEN NULL
      ELSE NTILE(4) OVER (
        PARTITION BY `c`.`income` IS NULL
        ORDER BY `c`.`income` ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
      )
    END AS `w1`
  FROM `customers` AS `c`
)
SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
LEFT JOIN `__rank1`
  ON `__rank1`.`__key` = `c`.`customer_id`
WHERE
  COALESCE(`__rank1`.`w1` = 4, FALSE)
ORDER BY
  `c`.`customer_id`
