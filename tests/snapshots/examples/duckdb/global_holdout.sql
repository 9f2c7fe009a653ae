SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      CAST('0x' || SUBSTRING(
        MD5('segdsl|global_holdout|global_holdout|' || CAST("c"."customer_id" AS TEXT)),
        1,
        15
      ) AS BIGINT)
    ) % 10000
  ) < 1000
ORDER BY
  "c"."customer_id"
