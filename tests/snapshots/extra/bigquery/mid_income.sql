SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  `c`.`income` >= 50000 AND `c`.`income` <= 100000
ORDER BY
  `c`.`customer_id`
