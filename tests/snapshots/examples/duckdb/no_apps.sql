SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE(ARRAY_CONTAINS("c"."apps", 'ios_app'), FALSE)
    OR COALESCE(ARRAY_CONTAINS("c"."apps", 'android_app'), FALSE)
  )
ORDER BY
  "c"."customer_id"
