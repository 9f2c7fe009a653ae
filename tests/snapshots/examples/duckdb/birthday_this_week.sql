SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    CAST(EXTRACT(MONTH FROM "c"."birth_date") AS BIGINT) * 100 + CAST(EXTRACT(DAY FROM "c"."birth_date") AS BIGINT)
  ) >= 630
  AND (
    CAST(EXTRACT(MONTH FROM "c"."birth_date") AS BIGINT) * 100 + CAST(EXTRACT(DAY FROM "c"."birth_date") AS BIGINT)
  ) <= 706
ORDER BY
  "c"."customer_id"
