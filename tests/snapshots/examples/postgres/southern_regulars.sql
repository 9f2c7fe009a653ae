WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key"
  FROM "orders" AS "r"
  WHERE
    "r"."ordered_at" >= CAST('2024-04-02 00:00:00' AS TIMESTAMP)
    AND "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  "c"."region" = 'South' AND NOT "__orders"."__key" IS NULL
ORDER BY
  "c"."customer_id"
