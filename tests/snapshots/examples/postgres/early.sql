SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."signup_date" < CAST('2020-01-01' AS DATE)
ORDER BY
  "c"."customer_id"
