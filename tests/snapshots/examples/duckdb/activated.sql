WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key"
  FROM "orders" AS "r"
  JOIN "customers" AS "c"
    ON "c"."customer_id" = "r"."customer_id"
  WHERE
    (
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL
    )
    AND "r"."ordered_at" < CAST(CAST("c"."signup_date" + INTERVAL 30 DAY AS DATE) AS TIMESTAMP)
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
