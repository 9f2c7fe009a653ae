SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  'mobile' IN UNNEST(`c`.`devices`) AND 'desktop' IN UNNEST(`c`.`devices`)
ORDER BY
  `c`.`customer_id`
