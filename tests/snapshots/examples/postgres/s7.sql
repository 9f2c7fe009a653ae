SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(
    RIGHT(LOWER("c"."email"), LENGTH(LOWER('@gmail.com'))) = LOWER('@gmail.com'),
    FALSE
  )
ORDER BY
  "c"."customer_id"
