SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  (
    MOD(
      CAST(CONCAT(
        '0x',
        SUBSTRING(TO_HEX(MD5('segdsl|edges||' || CAST(`c`.`customer_id` AS STRING))), 1, 15)
      ) AS INT64),
      10000
    )
  ) >= 2650
  AND (
    MOD(
      CAST(CONCAT(
        '0x',
        SUBSTRING(TO_HEX(MD5('segdsl|edges||' || CAST(`c`.`customer_id` AS STRING))), 1, 15)
      ) AS INT64),
      10000
    )
  ) < 2652
ORDER BY
  `c`.`customer_id`
