SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(STRPOS(LOWER("c"."city"), LOWER('"')) > 0, FALSE)
ORDER BY
  "c"."customer_id"
