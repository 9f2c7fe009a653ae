SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE('hiking' = ANY(
    "c"."interests"
  ), FALSE)
  OR COALESCE('camping' = ANY(
    "c"."interests"
  ), FALSE)
ORDER BY
  "c"."customer_id"
