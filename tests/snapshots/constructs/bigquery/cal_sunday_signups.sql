SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  CAST((
    MOD(MOD(DATE_DIFF(`c`.`signup_date`, CAST('1970-01-05' AS DATE), DAY), 7) + 7, 7)
  ) + 1 AS INT64) = 7
ORDER BY
  `c`.`customer_id`
