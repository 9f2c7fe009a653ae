SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    CAST('2024-06-30' AS DATE) - "c"."signup_date"
  ) <= 30
  AND (
    YEAR("c"."signup_date") = 2024 AND MONTH("c"."signup_date") = 2
  )
ORDER BY
  "c"."customer_id"
