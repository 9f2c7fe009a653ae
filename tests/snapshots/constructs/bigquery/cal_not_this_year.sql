SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  NOT (
    COALESCE(`c`.`signup_date` >= CAST('2024-01-01' AS DATE), FALSE)
    AND COALESCE(`c`.`signup_date` <= CAST('2024-12-31' AS DATE), FALSE)
  )
ORDER BY
  `c`.`customer_id`
