SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  NOT (
    COALESCE(`c`.`region` = 'West Coast', FALSE)
  )
ORDER BY
  `c`.`customer_id`
