SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  `c`.`age` >= 18 AND `c`.`age` < 35
ORDER BY
  `c`.`customer_id`
