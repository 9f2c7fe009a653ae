WITH "__events" AS (
  SELECT
    "r"."customer_id" AS "__key",
    COUNT(
      CASE
        WHEN COALESCE("r"."name" = 'email_open', FALSE)
        AND (
          COALESCE(CAST("r"."occurred_at" AS DATE) > CAST('2024-06-16' AS DATE), FALSE)
          AND COALESCE(CAST("r"."occurred_at" AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        )
        THEN 1
      END
    ) AS "a1"
  FROM "events" AS "r"
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__events"
  ON "__events"."__key" = "c"."customer_id"
WHERE
  COALESCE("__events"."a1", 0) >= 2
ORDER BY
  "c"."customer_id"
