SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."signup_date" >= CAST('2024-01-01' AS DATE)
  AND "c"."signup_date" <= CAST('2024-03-31' AS DATE)
ORDER BY
  "c"."customer_id"
