WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    COUNT(*) FILTER(WHERE
      "r"."ordered_at" >= CAST('2024-04-02 00:00:00' AS TIMESTAMP)
      AND "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)) AS "a1",
    SUM("r"."amount") FILTER(WHERE
      (
        "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."ordered_at" IS NULL
      )
      AND "r"."status" = 'paid') AS "a2"
  FROM "orders" AS "r"
  WHERE
    (
      "r"."ordered_at" >= CAST('2024-04-02 00:00:00' AS TIMESTAMP)
      AND "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    )
    OR (
      (
        "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."ordered_at" IS NULL
      )
      AND "r"."status" = 'paid'
    )
  GROUP BY
    "r"."customer_id"
), "__rank1" AS (
  SELECT
    "c"."customer_id",
    (
      ROW_NUMBER() OVER (ORDER BY COALESCE("__orders"."a2", 0) DESC, "c"."customer_id" ASC) - 1
    ) * 100 < COUNT(COALESCE("__orders"."a2", 0)) OVER () * 10 AS "__w1"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
JOIN "__rank1" AS "r"
  ON "r"."customer_id" = "c"."customer_id"
WHERE
  (
    "c"."region" = 'West Coast' AND COALESCE("__orders"."a1", 0) >= 3
  )
  AND "r"."__w1"
ORDER BY
  "c"."customer_id"
