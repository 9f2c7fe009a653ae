SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  'mobile' = ANY(
    "c"."devices"
  ) AND 'desktop' = ANY(
    "c"."devices"
  )
ORDER BY
  "c"."customer_id"
