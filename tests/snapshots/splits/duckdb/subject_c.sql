SELECT
  "c"."customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      CAST('0x' || SUBSTRING(MD5('segdsl|subject_test|2024-06|' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
    ) % 10000
  ) >= 6666
ORDER BY
  "c"."customer_id"
