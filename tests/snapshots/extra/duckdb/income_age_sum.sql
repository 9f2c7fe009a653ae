SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      CAST("c"."income" AS DOUBLE) / NULLIF(CAST(1000 AS DOUBLE), 0)
    ) + "c"."age"
  ) > 100
ORDER BY
  "c"."customer_id"
