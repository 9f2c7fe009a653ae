WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MAX("r"."ordered_at") AS "a1"
  FROM "orders" AS "r"
  WHERE
    "r"."ordered_at" < CAST(CURRENT_TIMESTAMP AT TIME ZONE 'UTC' AS TIMESTAMP)
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
  (
    CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE) - CAST("__orders"."a1" AT TIME ZONE 'UTC' AT TIME ZONE 'America/New_York' AS DATE)
  ) < 10
ORDER BY
  "c"."customer_id"
