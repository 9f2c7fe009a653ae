WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key"
  FROM "orders" AS "r"
  WHERE
    CAST("r"."ordered_at" AT TIME ZONE 'UTC' AT TIME ZONE 'America/New_York' AS DATE) > CAST(CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE) - INTERVAL '7 DAY' AS DATE)
    AND (
      CAST("r"."ordered_at" AT TIME ZONE 'UTC' AT TIME ZONE 'America/New_York' AS DATE) <= CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE)
      AND "r"."ordered_at" < CAST(CURRENT_TIMESTAMP AT TIME ZONE 'UTC' AS TIMESTAMP)
    )
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  NOT "__orders"."__key" IS NULL
ORDER BY
  "c"."customer_id"
