WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MAX("r"."amount") AS "a1"
  FROM "orders" AS "r"
  WHERE
    "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    OR "r"."ordered_at" IS NULL
  GROUP BY
    "r"."customer_id"
), "__rank1" AS (
  SELECT
    "c"."customer_id",
    CASE
      WHEN "__orders"."a1" IS NULL
      THEN NULL
      WHEN COUNT("__orders"."a1") OVER () = 1
      THEN CAST(100 AS DOUBLE)
      ELSE CAST(100 * (
        ROW_NUMBER() OVER (
          PARTITION BY "__orders"."a1" IS NULL
          ORDER BY "__orders"."a1" ASC, "c"."customer_id" ASC
        ) - 1
      ) AS DOUBLE) / CAST(COUNT("__orders"."a1") OVER () - 1 AS DOUBLE)
    END AS "__w1"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
)
SELECT
  "r"."customer_id"
FROM "__rank1" AS "r"
WHERE
  "r"."__w1" >= 40 AND "r"."__w1" <= 60
ORDER BY
  "r"."customer_id"
