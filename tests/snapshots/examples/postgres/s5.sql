SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE("c"."age" >= 25, FALSE) AND COALESCE("c"."age" <= 34, FALSE)
ORDER BY
  "c"."customer_id"
