SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  COALESCE('hiking' IN UNNEST(`c`.`interests`), FALSE)
  OR (
    COALESCE('camping' IN UNNEST(`c`.`interests`), FALSE)
    OR COALESCE('climbing' IN UNNEST(`c`.`interests`), FALSE)
  )
ORDER BY
  `c`.`customer_id`
