SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE("c"."income" >= 50000, FALSE)
    AND COALESCE("c"."income" <= 100000, FALSE)
  )
ORDER BY
  "c"."customer_id"
