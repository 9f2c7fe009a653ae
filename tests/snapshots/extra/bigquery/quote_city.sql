SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  INSTR(LOWER(`c`.`city`), LOWER('"')) > 0
ORDER BY
  `c`.`customer_id`
