SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."is_subscribed" = FALSE
ORDER BY
  "c"."customer_id"
