SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  CASE
    WHEN `c`.`age` >= 65
    THEN 'senior'
    WHEN `c`.`age` >= 18
    THEN 'adult'
    ELSE NULL
  END IS NULL
ORDER BY
  `c`.`customer_id`
