SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."renewal_date" >= CAST('2024-07-01' AS DATE)
  AND "c"."renewal_date" <= CAST('2024-09-30' AS DATE)
ORDER BY
  "c"."customer_id"
