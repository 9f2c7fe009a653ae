WITH "__rank1" AS (
  SELECT
    "c"."customer_id",
    "c"."income",
    "c"."plan",
    NOT "c"."income" IS NULL
    AND NOT "c"."plan" IS NULL
    AND ROW_NUMBER() OVER (
      PARTITION BY "c"."plan", "c"."income" IS NULL
      ORDER BY "c"."income" ASC, "c"."customer_id" ASC
    ) <= 1 AS "__w1"
  FROM "customers" AS "c"
)
SELECT
  "r"."customer_id"
FROM "__rank1" AS "r"
WHERE
  "r"."__w1"
ORDER BY
  "r"."customer_id"
