SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE(CARDINALITY("c"."apps") > 0, FALSE)
  )
ORDER BY
  "c"."customer_id"
