SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  STRPOS(LOWER("c"."city"), LOWER('san')) > 0
  OR STARTS_WITH(LOWER("c"."city"), LOWER('New'))
ORDER BY
  "c"."customer_id"
