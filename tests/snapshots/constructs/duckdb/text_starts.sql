SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  STARTS_WITH(LOWER("c"."email"), LOWER('Ann'))
ORDER BY
  "c"."customer_id"
