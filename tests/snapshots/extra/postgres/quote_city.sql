SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(POSITION(LOWER('"') IN LOWER("c"."city")) > 0, FALSE)
ORDER BY
  "c"."customer_id"
