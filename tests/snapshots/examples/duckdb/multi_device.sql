SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(ARRAY_CONTAINS("c"."devices", 'mobile'), FALSE)
  AND COALESCE(ARRAY_CONTAINS("c"."devices", 'desktop'), FALSE)
ORDER BY
  "c"."customer_id"
