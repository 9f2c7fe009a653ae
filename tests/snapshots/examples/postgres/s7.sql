SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  RIGHT(LOWER("c"."email"), LENGTH(LOWER('@gmail.com'))) = LOWER('@gmail.com')
ORDER BY
  "c"."customer_id"
