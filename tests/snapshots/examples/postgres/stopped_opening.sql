WITH "__events" AS (
  SELECT
    "r"."customer_id" AS "__key",
    COUNT(*) FILTER(WHERE
      "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)) AS "a1",
    COUNT(*) FILTER(WHERE
      "r"."occurred_at" >= CAST('2024-05-02 00:00:00' AS TIMESTAMP)
      AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)) AS "a2"
  FROM "events" AS "r"
  WHERE
    "r"."name" = 'email_open'
    AND (
      "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR (
        "r"."occurred_at" >= CAST('2024-05-02 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )
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
  COALESCE("__events"."a1", 0) >= 1 AND NOT (
    COALESCE("__events"."a2", 0) >= 1
  )
ORDER BY
  "c"."customer_id"
