WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    COUNT(*) AS "a1"
  FROM "orders" AS "r"
  WHERE
    (
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL
    )
    AND CAST((
      (
        (
          CAST("r"."ordered_at" AS DATE) - CAST('1970-01-05' AS DATE)
        ) % 7 + 7
      ) % 7
    ) + 1 AS BIGINT) >= 6
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  COALESCE("__orders"."a1", 0) >= 3
ORDER BY
  "c"."customer_id"
