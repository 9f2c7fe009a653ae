SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  POSITION(LOWER('%') IN LOWER("c"."email")) > 0
ORDER BY
  "c"."customer_id"
