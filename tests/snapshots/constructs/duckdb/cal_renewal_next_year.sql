SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."renewal_date" >= CAST('2025-01-01' AS DATE)
  AND "c"."renewal_date" <= CAST('2025-12-31' AS DATE)
ORDER BY
  "c"."customer_id"
