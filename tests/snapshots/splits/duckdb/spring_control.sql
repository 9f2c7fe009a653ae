SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."age" >= 30
  AND (
    (
      CAST('0x' || SUBSTRING(MD5('segdsl|spring_campaign||' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
    ) % 10000
  ) < 1000
ORDER BY
  "c"."customer_id"
