SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  (
    `c`.`age` > 17 AND `c`.`age` <= 65
  )
  AND (
    `c`.`income` >= 1000.5 AND `c`.`income` < 250000
  )
ORDER BY
  `c`.`customer_id`
