SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."renewal_date" < CAST("c"."signup_date" + INTERVAL '365 DAY' AS DATE)
ORDER BY
  "c"."customer_id"
