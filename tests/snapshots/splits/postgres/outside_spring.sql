SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  CASE
    WHEN "c"."age" >= 30
    AND (
      (
        CAST(CAST('x' || SUBSTRING(MD5('segdsl|spring_campaign||' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
      ) % 10000
    ) < 1000
    THEN 'control'
    WHEN "c"."age" >= 30
    AND (
      (
        CAST(CAST('x' || SUBSTRING(MD5('segdsl|spring_campaign||' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
      ) % 10000
    ) >= 1000
    THEN 'treatment'
  END IS NULL
ORDER BY
  "c"."customer_id"
