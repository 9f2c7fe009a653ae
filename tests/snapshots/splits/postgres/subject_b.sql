SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  CASE
    WHEN (
      (
        CAST(CAST('x' || SUBSTRING(MD5('segdsl|subject_test|2024-06|' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
      ) % 10000
    ) < 3333
    THEN 'a'
    WHEN (
      (
        CAST(CAST('x' || SUBSTRING(MD5('segdsl|subject_test|2024-06|' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
      ) % 10000
    ) >= 3333
    AND (
      (
        CAST(CAST('x' || SUBSTRING(MD5('segdsl|subject_test|2024-06|' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
      ) % 10000
    ) < 6666
    THEN 'b'
    WHEN (
      (
        CAST(CAST('x' || SUBSTRING(MD5('segdsl|subject_test|2024-06|' || CAST("c"."customer_id" AS TEXT)) FROM 1 FOR 15) AS BIT(60)) AS BIGINT)
      ) % 10000
    ) >= 6666
    THEN 'c'
  END = 'b'
ORDER BY
  "c"."customer_id"
