SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE(INSTR(LOWER(`c`.`city`), LOWER('san')) > 0, FALSE)
  OR COALESCE(STARTS_WITH(LOWER(`c`.`city`), LOWER('New')), FALSE)
ORDER BY
  `c`.`customer_id`
