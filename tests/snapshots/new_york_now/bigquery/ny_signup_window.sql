SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(
    `c`.`signup_date` > DATE_SUB(CURRENT_DATE('America/New_York'), INTERVAL 30 DAY),
    FALSE
  )
  AND COALESCE(`c`.`signup_date` <= CURRENT_DATE('America/New_York'), FALSE)
ORDER BY
  `c`.`customer_id`
