SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  (
    CAST(EXTRACT(MONTH FROM `c`.`birth_date`) AS INT64) * 100 + CAST(EXTRACT(DAY FROM `c`.`birth_date`) AS INT64)
  ) >= 630
  AND (
    CAST(EXTRACT(MONTH FROM `c`.`birth_date`) AS INT64) * 100 + CAST(EXTRACT(DAY FROM `c`.`birth_date`) AS INT64)
  ) <= 706
ORDER BY
  `c`.`customer_id`
