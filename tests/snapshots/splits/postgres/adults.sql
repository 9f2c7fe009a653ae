SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."age" >= 30
ORDER BY
  "c"."customer_id"
