SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      CAST(CAST('x' || SUBSTRING(MD5('segdsl|edges||' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
    ) % 10000
  ) >= 2650
  AND (
    (
      CAST(CAST('x' || SUBSTRING(MD5('segdsl|edges||' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
    ) % 10000
  ) < 2652
ORDER BY
  "c"."customer_id"
