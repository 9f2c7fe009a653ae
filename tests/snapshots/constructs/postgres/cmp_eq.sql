SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."plan" = 'pro'
ORDER BY
  "c"."customer_id"
