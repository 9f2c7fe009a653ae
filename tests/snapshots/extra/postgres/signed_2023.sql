SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  CAST(EXTRACT(YEAR FROM "c"."signup_date") AS BIGINT) = 2023
ORDER BY
  "c"."customer_id"
