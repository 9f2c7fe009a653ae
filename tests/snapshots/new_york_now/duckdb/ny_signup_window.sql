SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  "c"."signup_date" > CAST(CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE) - INTERVAL 30 DAY AS DATE)
  AND "c"."signup_date" <= CAST(CURRENT_TIMESTAMP AT TIME ZONE 'America/New_York' AS DATE)
ORDER BY
  "c"."customer_id"
