SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(POSITION(LOWER('_') IN LOWER("c"."email")) > 0, FALSE)
ORDER BY
  "c"."customer_id"
