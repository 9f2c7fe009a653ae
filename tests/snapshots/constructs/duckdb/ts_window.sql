WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MAX("r"."ordered_at") AS "a1"
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
JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  "__orders"."a1" >= CAST('2024-06-24 00:00:00' AS TIMESTAMP)
  AND "__orders"."a1" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
ORDER BY
  "c"."customer_id"
