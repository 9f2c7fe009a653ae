SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."signup_date" >= CAST('2024-06-01' AS DATE)
  AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
ORDER BY
  "c"."customer_id"
