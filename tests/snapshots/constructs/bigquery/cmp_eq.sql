SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(`c`.`plan` = 'pro', FALSE)
ORDER BY
  `c`.`customer_id`
