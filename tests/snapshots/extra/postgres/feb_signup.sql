SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(CAST(EXTRACT(MONTH FROM "c"."signup_date") AS BIGINT) = 2, FALSE)
ORDER BY
  "c"."customer_id"
