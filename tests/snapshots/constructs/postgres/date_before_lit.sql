SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE("c"."signup_date" < CAST('2020-01-01' AS DATE), FALSE)
ORDER BY
  "c"."customer_id"
