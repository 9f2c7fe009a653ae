SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "events" AS "r"
    WHERE
      "r"."customer_id" = "c"."customer_id"
      AND (
        (
          "r"."name" = 'order_completed'
          AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        )
        AND (
          "r"."occurred_at" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP)
          AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        )
      )
  )
  AND NOT (
    EXISTS(
      SELECT
        1
      FROM "events" AS "r"
      WHERE
        "r"."customer_id" = "c"."customer_id"
        AND (
          "r"."name" = 'order_completed'
          AND (
            "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
            AND "r"."occurred_at" < CAST('2024-06-01 00:00:00' AS TIMESTAMP)
          )
        )
    )
  )
ORDER BY
  "c"."customer_id"
