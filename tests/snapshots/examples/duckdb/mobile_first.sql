WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    STRUCT_EXTRACT(MAX(ROW("r"."ordered_at", NOT "r"."channel" IS NULL, "r"."channel")), 3) AS "a1"
  FROM "orders" AS "r"
  WHERE
    NOT "r"."ordered_at" IS NULL
  GROUP BY
    "r"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
WHERE
  "__orders"."a1" = 'mobile_app'
ORDER BY
  "c"."customer_id"
