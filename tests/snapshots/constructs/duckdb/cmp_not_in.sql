SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE("c"."gender" = 'undisclosed', FALSE)
  )
ORDER BY
  "c"."customer_id"
