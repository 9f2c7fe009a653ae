SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  STRPOS(LOWER("c"."email"), LOWER('0%_r')) > 0
ORDER BY
  "c"."customer_id"
