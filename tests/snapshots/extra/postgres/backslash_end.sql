SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(RIGHT(LOWER("c"."email"), LENGTH(LOWER('\'))) = LOWER('\'), FALSE)
ORDER BY
  "c"."customer_id"
