WITH `__rank1` AS (
  SELECT
    `c`.`customer_id`,
    `c`.`age`,
    `c`.`plan`,
    CASE
      WHEN `c`.`age` IS NULL OR `c`.`plan` IS NULL
      THEN NULL
      ELSE NTILE(3) OVER (
        PARTITION BY `c`.`plan`, `c`.`age` IS NULL
        ORDER BY `c`.`age` ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
      )
    END AS `__w1`
  FROM `customers` AS `c`
)
SELECT
  `r`.`customer_id`
FROM `__rank1` AS `r`
WHERE
  `r`.`__w1` = 1
ORDER BY
  `r`.`customer_id`
