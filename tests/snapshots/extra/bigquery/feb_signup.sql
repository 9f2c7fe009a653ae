SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  CAST(EXTRACT(MONTH FROM `c`.`signup_date`) AS INT64) = 2
ORDER BY
  `c`.`customer_id`
