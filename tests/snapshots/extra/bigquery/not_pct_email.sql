SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  NOT (
    COALESCE(INSTR(LOWER(`c`.`email`), LOWER('%')) > 0, FALSE)
  )
ORDER BY
  `c`.`customer_id`
