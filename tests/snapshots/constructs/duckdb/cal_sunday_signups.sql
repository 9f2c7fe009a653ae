SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  CAST((
    (
      (
        "c"."signup_date" - CAST('1970-01-05' AS DATE)
      ) % 7 + 7
    ) % 7
  ) + 1 AS BIGINT) = 7
ORDER BY
  "c"."customer_id"
