WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    COUNT(*) FILTER(WHERE
      "r"."amount" < 10) AS "a1",
    COUNT(*) FILTER(WHERE
      "r"."ordered_at" >= CAST('2024-01-02 00:00:00' AS TIMESTAMP)) AS "a2"
  FROM "orders" AS "r"
  WHERE
    (
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL
    )
    AND (
      "r"."amount" < 10 OR "r"."ordered_at" >= CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    )
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  COALESCE("__orders"."a1", 0) >= 1 AND COALESCE("__orders"."a2", 0) >= 1
ORDER BY
  "c"."customer_id"
