SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  `c`.`age` >= 25 AND `c`.`age` <= 34
ORDER BY
  `c`.`customer_id`
