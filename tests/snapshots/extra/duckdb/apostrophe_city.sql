SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  STARTS_WITH(LOWER("c"."city"), LOWER('o''f'))
ORDER BY
  "c"."customer_id"
