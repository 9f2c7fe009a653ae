SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(ARRAY_CONTAINS("c"."interests", 'hiking'), FALSE)
  OR (
    COALESCE(ARRAY_CONTAINS("c"."interests", 'camping'), FALSE)
    OR COALESCE(ARRAY_CONTAINS("c"."interests", 'climbing'), FALSE)
  )
ORDER BY
  "c"."customer_id"
