SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  'hiking' IN UNNEST(`c`.`interests`)
ORDER BY
  `c`.`customer_id`
