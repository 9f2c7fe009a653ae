SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE('ios_app' = ANY(
      "c"."apps"
    ), FALSE)
    OR COALESCE('android_app' = ANY(
      "c"."apps"
    ), FALSE)
  )
ORDER BY
  "c"."customer_id"
