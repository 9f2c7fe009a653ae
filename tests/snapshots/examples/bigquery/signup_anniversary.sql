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
  AND (
    2024 - CAST(EXTRACT(YEAR FROM `c`.`signup_date`) AS INT64) - CASE
      WHEN 630 < (
        CAST(EXTRACT(MONTH FROM `c`.`signup_date`) AS INT64) * 100 + CAST(EXTRACT(DAY FROM `c`.`signup_date`) AS INT64)
      )
      THEN 1
      ELSE 0
    END
  ) >= 1
ORDER BY
  `c`.`customer_id`
