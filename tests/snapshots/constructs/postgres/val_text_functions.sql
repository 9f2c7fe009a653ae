SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(LOWER("c"."city") = 'boston', FALSE)
  OR COALESCE(UPPER("c"."state") = 'MA', FALSE)
ORDER BY
  "c"."customer_id"
