WITH "__snapshot1" AS (
  SELECT
    "s"."member_key" AS "__key"
  FROM "segdsl_snapshots" AS "s"
  WHERE
    "s"."segment" = 'rank_top_pct'
    AND "s"."snapshot_id" = (
      SELECT
        MAX("t"."snapshot_id")
      FROM "segdsl_snapshots" AS "t"
      WHERE
        "t"."segment" = 'rank_top_pct' AND "t"."as_of" <= CAST('2024-06-01' AS DATE)
    )
), "__snapshot2" AS (
  SELECT
    "s"."member_key" AS "__key"
  FROM "segdsl_snapshots" AS "s"
  WHERE
    "s"."segment" = 'rank_top_pct'
    AND "s"."snapshot_id" = (
      SELECT
        MAX("t"."snapshot_id")
      FROM "segdsl_snapshots" AS "t"
      WHERE
        "t"."segment" = 'rank_top_pct' AND "t"."as_of" <= CAST('2024-05-31' AS DATE)
    )
)
SELECT
  "c"."customer_id"
FROM "customers" AS "c"
LEFT JOIN "__snapshot1"
  ON "__snapshot1"."__key" = "c"."customer_id"
LEFT JOIN "__snapshot2"
  ON "__snapshot2"."__key" = "c"."customer_id"
WHERE
  NOT "__snapshot1"."__key" IS NULL AND "__snapshot2"."__key" IS NULL
ORDER BY
  "c"."customer_id"
