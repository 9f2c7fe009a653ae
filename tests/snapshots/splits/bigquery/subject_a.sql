SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  (
    MOD(
      CAST(CONCAT(
        '0x',
        SUBSTRING(
          TO_HEX(MD5('segdsl|subject_test|2024-06|' || CAST(`c`.`customer_id` AS STRING))),
          1,
          15
        )
      ) AS INT64),
      10000
    )
  ) < 3333
ORDER BY
  `c`.`customer_id`
