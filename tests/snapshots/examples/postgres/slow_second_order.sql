WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MIN("r"."ordered_at") AS "a1",
    MAX("r"."ordered_at") AS "a2"
  FROM "orders" AS "r"
  WHERE
    "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    OR "r"."ordered_at" IS NULL
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  (
    CAST("__orders"."a2" AS DATE) - CAST("__orders"."a1" AS DATE)
  ) > 90
ORDER BY
  "c"."customer_id"
