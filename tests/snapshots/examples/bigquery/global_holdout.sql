SELECT
  `c`.`customer_id`
FROM `customers` AS `c`
WHERE
  (
    MOD(
      CAST(CONCAT(
        '0x',
        SUBSTRING(
          TO_HEX(
            MD5('segdsl|global_holdout|global_holdout|' || CAST(`c`.`customer_id` AS STRING))
          ),
          1,
          15
        )
      ) AS INT64),
      10000
    )
  ) < 1000
ORDER BY
  `c`.`customer_id`
