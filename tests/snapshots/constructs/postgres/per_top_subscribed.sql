WITH "__rank1" AS (
  SELECT
    "c"."customer_id",
    "c"."signup_date",
    "c"."is_subscribed",
    NOT "c"."signup_date" IS NULL
    AND NOT "c"."is_subscribed" IS NULL
    AND (
      ROW_NUMBER() OVER (
        PARTITION BY "c"."is_subscribed", "c"."signup_date" IS NULL
        ORDER BY "c"."signup_date" DESC NULLS LAST, "c"."customer_id" ASC
      ) - 1
    ) * 100 < COUNT("c"."signup_date") OVER (PARTITION BY "c"."is_subscribed") * 25 AS "__w1"
  FROM "customers" AS "c"
)
SELECT
  "r"."customer_id"
FROM "__rank1" AS "r"
WHERE
  "r"."__w1"
ORDER BY
  "r"."customer_id"
