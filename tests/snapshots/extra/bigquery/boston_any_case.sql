SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(LOWER(`c`.`city`) = 'boston', FALSE)
ORDER BY
  `c`.`customer_id`
