SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(POSITION(LOWER('0%_r') IN LOWER("c"."email")) > 0, FALSE)
ORDER BY
  "c"."customer_id"
