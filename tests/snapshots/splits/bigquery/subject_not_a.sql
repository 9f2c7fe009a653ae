SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  NOT (
    COALESCE(
      CASE
        WHEN (
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
        THEN 'a'
        WHEN (
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
        ) >= 3333
        AND (
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
        ) < 6666
        THEN 'b'
        WHEN (
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
        ) >= 6666
        THEN 'c'
      END = 'a',
      FALSE
    )
  )
ORDER BY
  `c`.`customer_id`
