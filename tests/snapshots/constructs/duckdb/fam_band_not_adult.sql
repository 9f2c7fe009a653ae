SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  NOT (
    COALESCE(
      CASE
        WHEN "c"."age" >= 65
        THEN 'senior'
        WHEN "c"."age" >= 18
        THEN 'adult'
        ELSE NULL
      END = 'adult',
      FALSE
    )
  )
ORDER BY
  "c"."customer_id"
