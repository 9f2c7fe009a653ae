SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      CAST(CAST('x' || SUBSTRING(MD5('segdsl|global_holdout|global_holdout|' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
    ) % 10000
  ) < 1000
ORDER BY
  "c"."customer_id"
