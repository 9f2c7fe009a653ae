SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  RIGHT(LOWER("c"."email"), LENGTH(LOWER('\'))) = LOWER('\')
ORDER BY
  "c"."customer_id"
