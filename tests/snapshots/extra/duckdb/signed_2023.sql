SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  YEAR("c"."signup_date") = 2023
ORDER BY
  "c"."customer_id"
