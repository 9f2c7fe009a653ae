SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  (
    (
      CAST(EXTRACT(MONTH FROM `c`.`signup_date`) AS INT64) * 100 + CAST(EXTRACT(DAY FROM `c`.`signup_date`) AS INT64)
    ) >= 624
    AND (
      CAST(EXTRACT(MONTH FROM `c`.`signup_date`) AS INT64) * 100 + CAST(EXTRACT(DAY FROM `c`.`signup_date`) AS INT64)
    ) <= 630
  )
  AND `c`.`signup_date` <= CAST('2023-06-30' AS DATE)
ORDER BY
  `c`.`customer_id`
