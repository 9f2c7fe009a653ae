SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  NOT (
    COALESCE('ios_app' IN UNNEST(`c`.`apps`), FALSE)
    OR COALESCE('android_app' IN UNNEST(`c`.`apps`), FALSE)
  )
ORDER BY
  `c`.`customer_id`
