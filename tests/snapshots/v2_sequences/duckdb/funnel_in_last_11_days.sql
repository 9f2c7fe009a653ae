WITH "__sequence1" AS (
  SELECT
    "a"."__key" AS "__key"
  FROM (
    SELECT DISTINCT
      "b"."__key" AS "__key",
      "b"."__t" AS "__t"
    FROM (
      SELECT
        "r"."customer_id" AS "__key",
        "r"."occurred_at" AS "__t"
      FROM "events" AS "r"
      WHERE
        "r"."name" = 'product_viewed'
        AND (
          "r"."occurred_at" >= CAST('2024-06-20 00:00:00' AS TIMESTAMP)
          AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        )
    ) AS "a"
    JOIN (
      SELECT
        "r"."customer_id" AS "__key",
        "r"."occurred_at" AS "__t"
      FROM "events" AS "r"
      WHERE
        "r"."name" = 'added_to_cart'
        AND (
          "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
          AND "r"."occurred_at" >= CAST('2024-06-20 00:00:00' AS TIMESTAMP)
        )
    ) AS "b"
      ON "b"."__key" = "a"."__key"
      AND (
        "b"."__t" >= "a"."__t" AND "b"."__t" <= "a"."__t" + INTERVAL '259200' SECOND
      )
  ) AS "a"
  JOIN (
    SELECT
      "r"."customer_id" AS "__key",
      "r"."occurred_at" AS "__t"
    FROM "events" AS "r"
    WHERE
      "r"."name" = 'order_completed'
      AND (
        "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" >= CAST('2024-06-20 00:00:00' AS TIMESTAMP)
      )
  ) AS "b"
    ON "b"."__key" = "a"."__key"
    AND (
      "b"."__t" >= "a"."__t" AND "b"."__t" <= "a"."__t" + INTERVAL '259200' SECOND
    )
  GROUP BY
    "a"."__key"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__sequence1"
  ON "__sequence1"."__key" = "c"."customer_id"
WHERE
  NOT "__sequence1"."__key" IS NULL
ORDER BY
  "c"."customer_id"
