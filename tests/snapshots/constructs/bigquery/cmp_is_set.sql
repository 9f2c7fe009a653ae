SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  NOT `c`.`phone` IS NULL AND `c`.`email` IS NULL
ORDER BY
  `c`.`customer_id`
