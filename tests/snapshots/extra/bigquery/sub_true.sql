SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(`c`.`is_subscribed` = TRUE, FALSE)
ORDER BY
  `c`.`customer_id`
