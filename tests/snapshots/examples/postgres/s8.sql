SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  POSITION(LOWER('san') IN LOWER("c"."city")) > 0
  OR STARTS_WITH(LOWER("c"."city"), LOWER('New'))
ORDER BY
  "c"."customer_id"
