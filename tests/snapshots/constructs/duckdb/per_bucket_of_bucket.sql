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
    "c"."income",
    "__orders"."a1" AS "__orders_a1",
    CASE
      WHEN "c"."income" IS NULL
      THEN NULL
      ELSE NTILE(3) OVER (
        PARTITION BY "c"."income" IS NULL
        ORDER BY "c"."income" ASC, "c"."customer_id" ASC
      )
    END AS "__w1"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
), "__rank2" AS (
  SELECT
    "r".*,
    CASE
      WHEN "r"."__w1" IS NULL
      THEN NULL
      ELSE NTILE(2) OVER (
        PARTITION BY "r"."__w1"
        ORDER BY COALESCE("r"."__orders_a1", 0) ASC, "r"."customer_id" ASC
      )
    END AS "__w2"
  FROM "__rank1" AS "r"
)
SELECT
  "r"."customer_id"
FROM "__rank2" AS "r"
WHERE
  "r"."__w2" = 2
ORDER BY
  "r"."customer_id"
