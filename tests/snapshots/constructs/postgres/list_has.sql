SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  'hiking' = ANY(
    "c"."interests"
  )
ORDER BY
  "c"."customer_id"
