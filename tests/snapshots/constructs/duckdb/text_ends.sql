SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  ENDS_WITH(LOWER("c"."email"), LOWER('@gmail.com'))
ORDER BY
  "c"."customer_id"
