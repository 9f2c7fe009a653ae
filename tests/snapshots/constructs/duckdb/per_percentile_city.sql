WITH "__rank1" AS (
  SELECT
    "c"."customer_id",
    "c"."income",
    "c"."city",
    CASE
      WHEN "c"."income" IS NULL OR "c"."city" IS NULL
      THEN NULL
      WHEN COUNT("c"."income") OVER (PARTITION BY "c"."city") = 1
      THEN CAST(100 AS DOUBLE)
      ELSE CAST(100 * (
        ROW_NUMBER() OVER (
          PARTITION BY "c"."city", "c"."income" IS NULL
          ORDER BY "c"."income" ASC, "c"."customer_id" ASC
        ) - 1
      ) AS DOUBLE) / CAST(COUNT("c"."income") OVER (PARTITION BY "c"."city") - 1 AS DOUBLE)
    END AS "__w1"
  FROM "customers" AS "c"
)
SELECT
  "r"."customer_id"
FROM "__rank1" AS "r"
WHERE
  "r"."__w1" >= 50
ORDER BY
  "r"."customer_id"
