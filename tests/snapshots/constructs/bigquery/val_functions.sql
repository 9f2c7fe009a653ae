SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  DATE_DIFF(CAST('2024-06-30' AS DATE), `c`.`signup_date`, DAY) <= 30
  AND (
    CAST(EXTRACT(YEAR FROM `c`.`signup_date`) AS INT64) = 2024
    AND CAST(EXTRACT(MONTH FROM `c`.`signup_date`) AS INT64) = 2
  )
ORDER BY
  `c`.`customer_id`
