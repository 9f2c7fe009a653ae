SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE((
    CAST('2024-06-30' AS DATE) - "c"."signup_date"
  ) <= 30, FALSE)
ORDER BY
  "c"."customer_id"
