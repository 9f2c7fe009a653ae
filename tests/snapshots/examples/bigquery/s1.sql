SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(`c`.`age` >= 18, FALSE) AND COALESCE(`c`.`age` < 35, FALSE)
ORDER BY
  `c`.`customer_id`
