SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  INSTR(LOWER(`c`.`city`), LOWER('50%_off')) > 0
ORDER BY
  `c`.`customer_id`
