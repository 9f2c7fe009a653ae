SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE('mobile' IN UNNEST(`c`.`devices`), FALSE)
  AND COALESCE('desktop' IN UNNEST(`c`.`devices`), FALSE)
ORDER BY
  `c`.`customer_id`
