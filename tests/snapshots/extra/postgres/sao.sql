SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  POSITION(LOWER('são') IN LOWER("c"."city")) > 0
ORDER BY
  "c"."customer_id"
