SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  CARDINALITY("c"."interests") > 0
ORDER BY
  "c"."customer_id"
