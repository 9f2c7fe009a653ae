SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  ARRAY_CONTAINS("c"."interests", 'hiking')
  OR (
    ARRAY_CONTAINS("c"."interests", 'camping')
    OR ARRAY_CONTAINS("c"."interests", 'climbing')
  )
ORDER BY
  "c"."customer_id"
