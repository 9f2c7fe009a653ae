WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    SUM(CASE WHEN COALESCE("r"."status" = 'paid', FALSE) THEN "r"."amount" END) AS "a1"
  FROM "orders" AS "r"
  GROUP BY
    "r"."customer_id"
), "__rank1" AS (
  SELECT
    "c"."customer_id" AS "__key",
    NTILE(10) OVER (ORDER BY COALESCE("__orders"."a1", 0) ASC, "c"."customer_id" ASC) AS "w1"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
), "__rank2" AS (
  SELECT
    "c"."customer_id" AS "__key",
    CASE
      WHEN "__rank1"."w1" IS NULL
      THEN NULL
      WHEN COUNT("__rank1"."w1") OVER () = 1
      THEN CAST(100 AS DOUBLE PRECISION)
      ELSE CAST(100 * (
        ROW_NUMBER() OVER (
          PARTITION BY "__rank1"."w1" IS NULL
          ORDER BY "__rank1"."w1" ASC, "c"."customer_id" ASC
        ) - 1
      ) AS DOUBLE PRECISION) / CAST(COUNT("__rank1"."w1") OVER () - 1 AS DOUBLE PRECISION)
    END AS "w1"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
  LEFT JOIN "__rank1"
    ON "__rank1"."__key" = "c"."customer_id"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__orders"
  ON "__orders"."__key" = "c"."customer_id"
LEFT JOIN "__rank1"
  ON "__rank1"."__key" = "c"."customer_id"
LEFT JOIN "__rank2"
  ON "__rank2"."__key" = "c"."customer_id"
WHERE
  COALESCE("__rank2"."w1" > 50, FALSE)
ORDER BY
  "c"."customer_id"
