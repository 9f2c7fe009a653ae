WITH "__rank1" AS (
  SELECT
    "c"."customer_id",
    "c"."income",
    CASE
      WHEN "c"."income" IS NULL
      THEN NULL
      ELSE NTILE(4) OVER (
        PARTITION BY "c"."income" IS NULL
        ORDER BY "c"."income" ASC, "c"."customer_id" ASC
      )
    END AS "__w1"
  FROM "customers" AS "c"
)
SELECT
  "r"."customer_id"
FROM "__rank1" AS "r"
WHERE
  "r"."__w1" = 4
ORDER BY
  "r"."customer_id"
