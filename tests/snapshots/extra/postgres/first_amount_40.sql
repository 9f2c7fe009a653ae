WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MIN("r"."ordered_at") AS "a1"
  FROM "orders" AS "r"
  WHERE
    "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    OR "r"."ordered_at" IS NULL
  GROUP BY
    "r"."customer_id"
), "__orders:picks" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MIN("r"."amount") AS "p1"
  FROM "orders" AS "r"
  JOIN "__orders"
    ON "__orders"."__key" = "r"."customer_id" AND "r"."ordered_at" = "__orders"."a1"
  WHERE
    "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    OR "r"."ordered_at" IS NULL
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__orders:picks"
  ON "__orders:picks"."__key" = "c"."customer_id"
WHERE
  "__orders:picks"."p1" = 40
ORDER BY
  "c"."customer_id"
