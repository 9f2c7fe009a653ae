SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."signup_date" < CAST('2023-06-30' AS DATE)
ORDER BY
  "c"."customer_id"
