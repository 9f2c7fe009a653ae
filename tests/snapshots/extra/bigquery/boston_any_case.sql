SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  LOWER(`c`.`city`) = 'boston'
ORDER BY
  `c`.`customer_id`
