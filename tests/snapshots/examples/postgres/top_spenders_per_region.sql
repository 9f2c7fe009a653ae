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
    "c"."region",
    NOT "c"."region" IS NULL
    AND (
      ROW_NUMBER() OVER (
        PARTITION BY "c"."region"
        ORDER BY COALESCE("__orders"."a1", 0) DESC NULLS LAST, "c"."customer_id" ASC
      ) - 1
    ) * 100 < COUNT(COALESCE("__orders"."a1", 0)) OVER (PARTITION BY "c"."region") * 5 AS "__w1"
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
