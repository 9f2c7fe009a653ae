SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(STARTS_WITH(LOWER("c"."city"), LOWER('o''f')), FALSE)
ORDER BY
  "c"."customer_id"
