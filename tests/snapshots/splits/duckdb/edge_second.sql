SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      CAST('0x' || SUBSTRING(MD5('segdsl|edges||' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
    ) % 10000
  ) >= 2650
  AND (
    (
      CAST('0x' || SUBSTRING(MD5('segdsl|edges||' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
    ) % 10000
  ) < 2652
ORDER BY
  "c"."customer_id"
