WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MAX("r"."amount") AS "a1"
  FROM "orders" AS "r"
  GROUP BY
    "r"."customer_id"
), "__rank1" AS (
  SELECT
    "c"."customer_id" AS "__key",
    NOT "__orders"."a1" IS NULL
    AND ROW_NUMBER() OVER (
      PARTITION BY "__orders"."a1" IS NULL
      ORDER BY "__orders"."a1" DESC NULLS LAST, "c"."customer_id" ASC
    ) <= 3 AS "w1"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
LEFT JOIN "__rank1"
  ON "__rank1"."__key" = "c"."customer_id"
WHERE
  NOT (
    "__rank1"."w1"
  )
ORDER BY
  "c"."customer_id"
