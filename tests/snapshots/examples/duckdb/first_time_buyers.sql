WITH "__events" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MIN("r"."occurred_at") AS "a1"
  FROM "events" AS "r"
  WHERE
    "r"."name" = 'order_completed'
    AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__events"
  ON "__events"."__key" = "c"."customer_id"
WHERE
  "__events"."a1" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP)
  AND "__events"."a1" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
ORDER BY
  "c"."customer_id"
