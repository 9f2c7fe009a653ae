SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(ABS("c"."age" - 40) <= 5, FALSE)
ORDER BY
  "c"."customer_id"
