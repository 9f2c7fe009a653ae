SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE("c"."city" = 'new york', FALSE)
ORDER BY
  "c"."customer_id"
