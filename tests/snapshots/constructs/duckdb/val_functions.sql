SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    CAST('2024-06-30' AS DATE) - "c"."signup_date"
  ) <= 30
  AND (
    CAST(EXTRACT(YEAR FROM "c"."signup_date") AS BIGINT) = 2024
    AND CAST(EXTRACT(MONTH FROM "c"."signup_date") AS BIGINT) = 2
  )
ORDER BY
  "c"."customer_id"
