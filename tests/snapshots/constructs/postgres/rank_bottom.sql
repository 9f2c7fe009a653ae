WITH "__rank1" AS (
  SELECT
    "c"."customer_id" AS "__key",
    NOT "c"."income" IS NULL
    AND (
      ROW_NUMBER() OVER (
        PARTITION BY "c"."income" IS NULL
        ORDER BY "c"."income" ASC, "c"."customer_id" ASC
      ) - 1
    ) * 100 < COUNT("c"."income") OVER () * 50 AS "w1"
  FROM "customers" AS "c"
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__rank1"
  ON "__rank1"."__key" = "c"."customer_id"
WHERE
  "__rank1"."w1"
ORDER BY
  "c"."customer_id"
