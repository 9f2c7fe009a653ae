WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    SUM("r"."amount") AS "a1"
  FROM "orders" AS "r"
  WHERE
    (
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL
    )
    AND "r"."status" = 'paid'
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  COALESCE("c"."age", 0) < 18 AND NOT (
    COALESCE("__orders"."a1", 0) > 1000
  )
ORDER BY
  "c"."customer_id"
