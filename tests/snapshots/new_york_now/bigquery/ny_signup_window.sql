SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  `c`.`signup_date` > DATE_SUB(CURRENT_DATE('America/New_York'), INTERVAL 30 DAY)
  AND `c`.`signup_date` <= CURRENT_DATE('America/New_York')
ORDER BY
  `c`.`customer_id`
