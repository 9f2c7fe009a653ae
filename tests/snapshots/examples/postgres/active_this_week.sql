WITH "__events" AS (
  SELECT
    "r"."customer_id" AS "__key"
  FROM "events" AS "r"
  WHERE
    "r"."name" = 'session_start'
    AND (
      "r"."occurred_at" >= CAST('2024-06-24 00:00:00' AS TIMESTAMP)
      AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    )
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__events"
  ON "__events"."__key" = "c"."customer_id"
WHERE
  NOT "__events"."__key" IS NULL
ORDER BY
  "c"."customer_id"
