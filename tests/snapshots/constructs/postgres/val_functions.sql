SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE((
    CAST('2024-06-30' AS DATE) - "c"."signup_date"
  ) <= 30, FALSE)
  AND (
    COALESCE(CAST(EXTRACT(YEAR FROM "c"."signup_date") AS BIGINT) = 2024, FALSE)
    AND COALESCE(CAST(EXTRACT(MONTH FROM "c"."signup_date") AS BIGINT) = 2, FALSE)
  )
ORDER BY
  "c"."customer_id"
