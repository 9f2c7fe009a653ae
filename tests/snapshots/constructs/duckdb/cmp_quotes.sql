SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE("c"."city" = 'O''Brien "Town" \ end\', FALSE)
ORDER BY
  "c"."customer_id"
