SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(STRPOS(LOWER("c"."email"), LOWER('0%_r')) > 0, FALSE)
ORDER BY
  "c"."customer_id"
