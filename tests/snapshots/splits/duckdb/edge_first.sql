SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  CASE
    WHEN (
      (
        CAST('0x' || SUBSTRING(MD5('segdsl|edges||' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
      ) % 10000
    ) < 2650
    THEN 'first'
    WHEN (
      (
        CAST('0x' || SUBSTRING(MD5('segdsl|edges||' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
      ) % 10000
    ) >= 2650
    AND (
      (
        CAST('0x' || SUBSTRING(MD5('segdsl|edges||' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
      ) % 10000
    ) < 2652
    THEN 'second'
    WHEN (
      (
        CAST('0x' || SUBSTRING(MD5('segdsl|edges||' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
      ) % 10000
    ) >= 2652
    THEN 'third'
  END = 'first'
ORDER BY
  "c"."customer_id"
