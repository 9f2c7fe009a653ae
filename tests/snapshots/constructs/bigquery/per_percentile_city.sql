WITH `__rank1` AS (
  SELECT
    `c`.`customer_id`,
    `c`.`income`,
    `c`.`city`,
    CASE
      WHEN `c`.`income` IS NULL OR `c`.`city` IS NULL
      THEN NULL
      WHEN COUNT(`c`.`income`) OVER (PARTITION BY `c`.`city`) = 1
      THEN CAST(100 AS FLOAT64)
      ELSE CAST(100 * (
        ROW_NUMBER() OVER (
          PARTITION BY `c`.`city`, `c`.`income` IS NULL
          ORDER BY `c`.`income` ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
        ) - 1
      ) AS FLOAT64) / CAST(COUNT(`c`.`income`) OVER (PARTITION BY `c`.`city`) - 1 AS FLOAT64)
    END AS `__w1`
  FROM `customers` AS `c`
)
SELECT
  `r`.`customer_id`
FROM `__rank1` AS `r`
WHERE
  `r`.`__w1` >= 50
ORDER BY
  `r`.`customer_id`
