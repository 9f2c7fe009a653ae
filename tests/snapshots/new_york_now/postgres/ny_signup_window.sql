SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  COALESCE(
    "c"."signup_date" > CAST(CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE) - INTERVAL '30 DAY' AS DATE),
    FALSE
  )
  AND COALESCE(
    "c"."signup_date" <= CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE),
    FALSE
  )
ORDER BY
  "c"."customer_id"
