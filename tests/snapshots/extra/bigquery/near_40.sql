SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  ABS(`c`.`age` - 40) <= 5
ORDER BY
  `c`.`customer_id`
