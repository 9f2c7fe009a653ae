SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."city" = 'O''Brien "Town" \ end\'
ORDER BY
  "c"."customer_id"
