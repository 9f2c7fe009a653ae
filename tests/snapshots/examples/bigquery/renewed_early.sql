SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  `c`.`renewal_date` < DATE_ADD(`c`.`signup_date`, INTERVAL 365 DAY)
ORDER BY
  `c`.`customer_id`
