SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE("c"."is_subscribed", FALSE)
  )
ORDER BY
  "c"."customer_id"
