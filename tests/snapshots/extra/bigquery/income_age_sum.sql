SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  (
    (
      CAST(`c`.`income` AS FLOAT64) / NULLIF(CAST(1000 AS FLOAT64), 0)
    ) + `c`.`age`
  ) > 100
ORDER BY
  `c`.`customer_id`
