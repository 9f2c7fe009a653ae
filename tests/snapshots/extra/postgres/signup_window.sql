SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE("c"."signup_date" >= CAST('2023-02-28' AS DATE), FALSE)
  AND COALESCE("c"."signup_date" <= CAST('2024-02-29' AS DATE), FALSE)
ORDER BY
  "c"."customer_id"
