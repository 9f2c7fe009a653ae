SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(ARRAY_CONTAINS("c"."interests", 'hiking'), FALSE)
ORDER BY
  "c"."customer_id"
