SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  ARRAY_CONTAINS("c"."devices", 'mobile')
  AND ARRAY_CONTAINS("c"."devices", 'desktop')
ORDER BY
  "c"."customer_id"
