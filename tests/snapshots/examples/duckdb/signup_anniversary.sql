SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      CAST(EXTRACT(MONTH FROM "c"."signup_date") AS BIGINT) * 100 + CAST(EXTRACT(DAY FROM "c"."signup_date") AS BIGINT)
    ) >= 624
    AND (
      CAST(EXTRACT(MONTH FROM "c"."signup_date") AS BIGINT) * 100 + CAST(EXTRACT(DAY FROM "c"."signup_date") AS BIGINT)
    ) <= 630
  )
  AND (
    2024 - CAST(EXTRACT(YEAR FROM "c"."signup_date") AS BIGINT) - CASE
      WHEN 630 < (
        CAST(EXTRACT(MONTH FROM "c"."signup_date") AS BIGINT) * 100 + CAST(EXTRACT(DAY FROM "c"."signup_date") AS BIGINT)
      )
      THEN 1
      ELSE 0
    END
  ) >= 1
ORDER BY
  "c"."customer_id"
