SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(ARRAY_LENGTH("c"."interests") > 0, FALSE)
ORDER BY
  "c"."customer_id"
