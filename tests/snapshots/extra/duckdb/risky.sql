WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key"
  FROM "orders" AS "r"
  WHERE
    (
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL
    )
    AND "r"."status" = 'refunded'
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
    CASE WHEN COALESCE("c"."is_subscribed" = FALSE, FALSE) THEN 5 ELSE 0 END + CASE WHEN NOT "__orders"."__key" IS NULL THEN -10 ELSE 0 END + CASE WHEN "c"."age" IS NULL THEN 3 ELSE 0 END
  ) > 0
ORDER BY
  "c"."customer_id"
