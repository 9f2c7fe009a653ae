WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    SUM("r"."amount") AS "a1",
    COUNT(*) AS "a2",
    SUM("r"."amount") FILTER(WHERE
      "r"."status" = 'paid') AS "a3"
  FROM "orders" AS "r"
  WHERE
    "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    OR "r"."ordered_at" IS NULL
  GROUP BY
    "r"."customer_id"
), "__rank1" AS (
  SELECT
    "c"."customer_id",
    NOT CAST(COALESCE("__orders"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("__orders"."a2", 0) AS DOUBLE), 0) IS NULL
    AND ROW_NUMBER() OVER (
      PARTITION BY COALESCE("__orders"."a3", 0) > 1000, CAST(COALESCE("__orders"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("__orders"."a2", 0) AS DOUBLE), 0) IS NULL
      ORDER BY CAST(COALESCE("__orders"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("__orders"."a2", 0) AS DOUBLE), 0) DESC, "c"."customer_id" ASC
    ) <= 3 AS "__w1"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
)
SELECT
  "r"."customer_id"
FROM "__rank1" AS "r"
WHERE
  "r"."__w1"
ORDER BY
  "r"."customer_id"
