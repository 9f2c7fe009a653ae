SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE("c"."signup_date" > CAST('2024-06-16' AS DATE), FALSE)
ORDER BY
  "c"."customer_id"
