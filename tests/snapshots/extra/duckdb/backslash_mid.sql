SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  STRPOS(LOWER("c"."email"), LOWER('k\s')) > 0
ORDER BY
  "c"."customer_id"
