SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      MONTH("c"."signup_date") * 100 + DAY("c"."signup_date")
    ) >= 624
    AND (
      MONTH("c"."signup_date") * 100 + DAY("c"."signup_date")
    ) <= 630
  )
  AND "c"."signup_date" <= CAST('2023-06-30' AS DATE)
ORDER BY
  "c"."customer_id"
