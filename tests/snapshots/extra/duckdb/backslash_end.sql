SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(ENDS_WITH(LOWER("c"."email"), LOWER('\')), FALSE)
ORDER BY
  "c"."customer_id"
