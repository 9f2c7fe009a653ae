SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  ARRAY_CONTAINS("c"."interests", 'hiking')
ORDER BY
  "c"."customer_id"
