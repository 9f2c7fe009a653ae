WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    COUNT(
      CASE
        WHEN COALESCE(
          CAST("r"."ordered_at" AT TIME ZONE 'UTC' AT TIME ZONE 'America/New_York' AS DATE) > CAST(CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE) - INTERVAL 7 DAY AS DATE),
          FALSE
        )
        AND COALESCE(
          CAST("r"."ordered_at" AT TIME ZONE 'UTC' AT TIME ZONE 'America/New_York' AS DATE) <= CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE),
          FALSE
        )
        THEN 1
      END
    ) AS "a1"
  FROM "orders" AS "r"
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  COALESCE("__orders"."a1", 0) >= 1
ORDER BY
  "c"."customer_id"
