SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE(POSITION(LOWER('%') IN LOWER("c"."email")) > 0, FALSE)
  )
ORDER BY
  "c"."customer_id"
