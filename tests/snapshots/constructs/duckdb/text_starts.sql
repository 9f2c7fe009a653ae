SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(STARTS_WITH(LOWER("c"."email"), LOWER('Ann')), FALSE)
ORDER BY
  "c"."customer_id"
