WITH "__rank1" AS (
  SELECT
    "c"."customer_id",
    "c"."income",
    NOT "c"."income" IS NULL
    AND (
      ROW_NUMBER() OVER (
        PARTITION BY "c"."income" IS NULL
        ORDER BY "c"."income" ASC, "c"."customer_id" ASC
      ) - 1
    ) * 100 < COUNT("c"."income") OVER () * 50 AS "__w1"
  FROM "customers" AS "c"
)
SELECT
  "r"."customer_id"
FROM "__rank1" AS "r"
WHERE
  "r"."__w1"
ORDER BY
  "r"."customer_id"
