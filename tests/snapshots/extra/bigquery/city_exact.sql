SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  `c`.`city` = 'new york'
ORDER BY
  `c`.`customer_id`
