SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(`c`.`age`, 0) < 18
ORDER BY
  `c`.`customer_id`
