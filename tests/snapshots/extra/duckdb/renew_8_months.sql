SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."renewal_date" >= CAST('2024-06-30' AS DATE)
  AND "c"."renewal_date" < CAST('2025-02-28' AS DATE)
ORDER BY
  "c"."customer_id"
