SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT "c"."city" IS NULL
ORDER BY
  "c"."customer_id"
