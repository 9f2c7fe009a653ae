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
), "__rank1" AS (
  SELECT
    "c"."customer_id",
    "c"."plan",
    CASE
      WHEN "c"."plan" IS NULL
      THEN NULL
      WHEN COUNT(COALESCE("__orders"."a1", 0)) OVER (PARTITION BY "c"."plan") = 1
      THEN CAST(100 AS DOUBLE)
      ELSE CAST(100 * (
        ROW_NUMBER() OVER (
          PARTITION BY "c"."plan"
          ORDER BY COALESCE("__orders"."a1", 0) ASC, "c"."customer_id" ASC
        ) - 1
      ) AS DOUBLE) / CAST(COUNT(COALESCE("__orders"."a1", 0)) OVER (PARTITION BY "c"."plan") - 1 AS DOUBLE)
    END AS "__w1"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
)
SELECT
  "r"."customer_id"
FROM "__rank1" AS "r"
WHERE
  "r"."__w1" = 100
ORDER BY
  "r"."customer_id"
