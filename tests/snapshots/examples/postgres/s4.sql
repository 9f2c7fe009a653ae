SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE("c"."plan" = 'free', FALSE)
  )
ORDER BY
  "c"."customer_id"
