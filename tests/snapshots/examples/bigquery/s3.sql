SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  `c`.`plan` IN ('pro', 'enterprise')
ORDER BY
  `c`.`customer_id`
