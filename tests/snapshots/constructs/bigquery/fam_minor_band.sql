SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  CASE
    WHEN `c`.`age` >= 65
    THEN 'senior'
    WHEN `c`.`age` >= 18
    THEN 'adult'
    ELSE 'minor_or_unknown'
  END IN ('minor_or_unknown', 'senior')
ORDER BY
  `c`.`customer_id`
