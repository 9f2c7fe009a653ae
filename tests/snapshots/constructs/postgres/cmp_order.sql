SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    COALESCE("c"."age" > 17, FALSE) AND COALESCE("c"."age" <= 65, FALSE)
  )
  AND (
    COALESCE("c"."income" >= 1000.5, FALSE)
    AND COALESCE("c"."income" < 250000, FALSE)
  )
ORDER BY
  "c"."customer_id"
