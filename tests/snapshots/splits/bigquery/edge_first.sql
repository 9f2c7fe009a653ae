SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  CASE
    WHEN (
      MOD(
        CAST(CONCAT(
          '0x',
          SUBSTRING(TO_HEX(MD5('segdsl|edges||' || CAST(`c`.`customer_id` AS STRING))), 1, 15)
        ) AS INT64),
        10000
      )
    ) < 2650
    THEN 'first'
    WHEN (
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
    THEN 'second'
    WHEN (
      MOD(
        CAST(CONCAT(
          '0x',
          SUBSTRING(TO_HEX(MD5('segdsl|edges||' || CAST(`c`.`customer_id` AS STRING))), 1, 15)
        ) AS INT64),
        10000
      )
    ) >= 2652
    THEN 'third'
  END = 'first'
ORDER BY
  `c`.`customer_id`
