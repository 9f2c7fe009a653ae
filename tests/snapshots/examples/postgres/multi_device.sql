SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE('mobile' = ANY(
    "c"."devices"
  ), FALSE)
  AND COALESCE('desktop' = ANY(
    "c"."devices"
  ), FALSE)
ORDER BY
  "c"."customer_id"
