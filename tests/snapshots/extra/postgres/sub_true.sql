SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."is_subscribed" = TRUE
ORDER BY
  "c"."customer_id"
