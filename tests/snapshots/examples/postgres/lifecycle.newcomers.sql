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
      AND "r"."status" = 'paid') AS "a2",
    MAX("r"."ordered_at") FILTER(WHERE
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL) AS "a3"
  FROM "orders" AS "r"
  WHERE
    (
      "r"."ordered_at" >= CAST('2024-04-02 00:00:00' AS TIMESTAMP)
      AND "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    )
    OR (
      (
        (
          "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
          OR "r"."ordered_at" IS NULL
        )
        AND "r"."status" = 'paid'
      )
      OR (
        "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."ordered_at" IS NULL
      )
    )
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  CASE
    WHEN COALESCE("__orders"."a1", 0) >= 3 AND COALESCE("__orders"."a2", 0) >= 1000
    THEN 'champions'
    WHEN COALESCE("__orders"."a1", 0) >= 2
    THEN 'loyal'
    WHEN "__orders"."a3" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    THEN 'lapsed'
    WHEN "__orders"."a3" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
    THEN 'at_risk'
    WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
    AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
    THEN 'newcomers'
    ELSE 'others'
  END = 'newcomers'
ORDER BY
  "c"."customer_id"
