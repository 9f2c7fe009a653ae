SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  `c`.`age` >= 30
  AND (
    MOD(
      CAST(CONCAT(
        '0x',
        SUBSTRING(TO_HEX(MD5('segdsl|spring_campaign||' || CAST(`c`.`customer_id` AS STRING))), 1, 15)
      ) AS INT64),
      10000
    )
  ) < 1000
ORDER BY
  `c`.`customer_id`
