SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    CAST('2024-06-30' AS DATE) - "c"."signup_date"
  ) <= 30
ORDER BY
  "c"."customer_id"
