SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    MONTH("c"."birth_date") * 100 + DAY("c"."birth_date")
  ) >= 630
  AND (
    MONTH("c"."birth_date") * 100 + DAY("c"."birth_date")
  ) <= 706
ORDER BY
  "c"."customer_id"
