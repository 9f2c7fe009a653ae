WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    SUM("r"."amount") FILTER(WHERE
      "r"."status" = 'paid') AS "a1",
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
JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  COALESCE("__orders"."a1", 0) > 1000
  AND "__orders"."a2" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
ORDER BY
  "c"."customer_id"
