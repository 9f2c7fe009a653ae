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
LEFT JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  NOT (
    CASE
      WHEN COALESCE("__orders"."a1", 0) > 1000
      OR (
        "c"."is_subscribed" AND COALESCE("__orders"."a1", 0) > 500
      )
      THEN 'vip'
      WHEN "__orders"."a2" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
      THEN 'lapsed'
      WHEN "c"."is_subscribed"
      THEN 'subscriber'
      ELSE 'rest'
    END = 'rest'
  )
ORDER BY
  "c"."customer_id"
