SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(`c`.`renewal_date` = CAST('2024-06-30' AS DATE), FALSE)
ORDER BY
  `c`.`customer_id`
