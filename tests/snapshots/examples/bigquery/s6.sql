SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  NOT `c`.`email` IS NULL AND `c`.`phone` IS NULL
ORDER BY
  `c`.`customer_id`
