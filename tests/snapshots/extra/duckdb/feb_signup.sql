SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  MONTH("c"."signup_date") = 2
ORDER BY
  "c"."customer_id"
