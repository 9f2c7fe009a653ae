SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  LOWER("c"."city") = 'boston' OR UPPER("c"."state") = 'MA'
ORDER BY
  "c"."customer_id"
