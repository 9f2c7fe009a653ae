SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(`c`.`plan` IN ('pro', 'enterprise'), FALSE)
ORDER BY
  `c`.`customer_id`
