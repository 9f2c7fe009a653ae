SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(CAST(EXTRACT(YEAR FROM `c`.`signup_date`) AS INT64) = 2023, FALSE)
ORDER BY
  `c`.`customer_id`
