WITH "__orders" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MAX("r"."ordered_at") FILTER(WHERE
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL) AS "a1",
    COUNT(*) FILTER(WHERE
      "r"."ordered_at" >= CAST('2024-04-02 00:00:00' AS TIMESTAMP)
      AND "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)) AS "a2",
    SUM("r"."amount") FILTER(WHERE
      (
        "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."ordered_at" IS NULL
      )
      AND "r"."status" = 'paid') AS "a3",
    COUNT(*) FILTER(WHERE
      "r"."ordered_at" >= CAST('2023-07-02 00:00:00' AS TIMESTAMP)
      AND "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)) AS "a4",
    AVG(CAST("r"."amount" AS DOUBLE)) FILTER(WHERE
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL) AS "a5",
    COUNT(*) FILTER(WHERE
      (
        "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."ordered_at" IS NULL
      )
      AND "r"."status" = 'refunded') AS "a6",
    COUNT(*) FILTER(WHERE
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL) AS "a7",
    COUNT(*) FILTER(WHERE
      "r"."ordered_at" >= CAST('2024-01-01 00:00:00' AS TIMESTAMP)
      AND "r"."ordered_at" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)) AS "a8",
    COUNT(*) FILTER(WHERE
      "r"."ordered_at" >= CAST('2024-04-01 00:00:00' AS TIMESTAMP)
      AND "r"."ordered_at" < CAST('2024-06-01 00:00:00' AS TIMESTAMP)) AS "a9",
    COUNT(*) FILTER(WHERE
      "r"."ordered_at" >= CAST('2023-01-01 00:00:00' AS TIMESTAMP)
      AND "r"."ordered_at" < CAST('2024-01-01 00:00:00' AS TIMESTAMP)) AS "a10",
    COUNT(*) FILTER(WHERE
      (
        "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."ordered_at" IS NULL
      )
      AND "r"."ordered_at" < CAST(CAST("c"."signup_date" + INTERVAL 30 DAY AS DATE) AS TIMESTAMP)) AS "a11",
    MIN("r"."ordered_at") FILTER(WHERE
      "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      OR "r"."ordered_at" IS NULL) AS "a12",
    COUNT(*) FILTER(WHERE
      (
        "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."ordered_at" IS NULL
      )
      AND CAST((
        (
          (
            CAST("r"."ordered_at" AS DATE) - CAST('1970-01-05' AS DATE)
          ) % 7 + 7
        ) % 7
      ) + 1 AS BIGINT) >= 6) AS "a13"
  FROM "orders" AS "r"
  JOIN "customers" AS "c"
    ON "c"."customer_id" = "r"."customer_id"
  WHERE
    (
      (
        (
          "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
          OR "r"."ordered_at" IS NULL
        )
        OR (
          "r"."ordered_at" >= CAST('2024-04-02 00:00:00' AS TIMESTAMP)
          AND "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        )
      )
      OR (
        (
          (
            "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
            OR "r"."ordered_at" IS NULL
          )
          AND "r"."status" = 'paid'
        )
        OR (
          (
            "r"."ordered_at" >= CAST('2023-07-02 00:00:00' AS TIMESTAMP)
            AND "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
          )
          OR (
            (
              "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
              OR "r"."ordered_at" IS NULL
            )
            AND "r"."status" = 'refunded'
          )
        )
      )
    )
    OR (
      (
        (
          "r"."ordered_at" >= CAST('2024-01-01 00:00:00' AS TIMESTAMP)
          AND "r"."ordered_at" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
        )
        OR (
          "r"."ordered_at" >= CAST('2024-04-01 00:00:00' AS TIMESTAMP)
          AND "r"."ordered_at" < CAST('2024-06-01 00:00:00' AS TIMESTAMP)
        )
      )
      OR (
        (
          "r"."ordered_at" >= CAST('2023-01-01 00:00:00' AS TIMESTAMP)
          AND "r"."ordered_at" < CAST('2024-01-01 00:00:00' AS TIMESTAMP)
        )
        OR (
          (
            (
              "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
              OR "r"."ordered_at" IS NULL
            )
            AND "r"."ordered_at" < CAST(CAST("c"."signup_date" + INTERVAL 30 DAY AS DATE) AS TIMESTAMP)
          )
          OR (
            (
              "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
              OR "r"."ordered_at" IS NULL
            )
            AND CAST((
              (
                (
                  CAST("r"."ordered_at" AS DATE) - CAST('1970-01-05' AS DATE)
                ) % 7 + 7
              ) % 7
            ) + 1 AS BIGINT) >= 6
          )
        )
      )
    )
  GROUP BY
    "r"."customer_id"
), "__orders:picks" AS (
  SELECT
    "r"."customer_id" AS "__key",
    MAX("r"."channel") AS "p1"
  FROM "orders" AS "r"
  JOIN "__orders"
    ON "__orders"."__key" = "r"."customer_id" AND "r"."ordered_at" = "__orders"."a1"
  WHERE
    "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    OR "r"."ordered_at" IS NULL
  GROUP BY
    "r"."customer_id"
), "__orders:distinct" AS (
  SELECT
    "r"."customer_id" AS "__key",
    COUNT(DISTINCT "r"."ordered_at") AS "a1"
  FROM "orders" AS "r"
  WHERE
    "r"."ordered_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
    OR "r"."ordered_at" IS NULL
  GROUP BY
    "r"."customer_id"
), "__events" AS (
  SELECT
    "r"."customer_id" AS "__key",
    COUNT(*) FILTER(WHERE
      "r"."occurred_at" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP)
      AND (
        "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        AND "r"."name" = 'email_open'
      )) AS "a1",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'demo_requested'
      AND (
        "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."occurred_at" IS NULL
      )) AS "a2",
    MIN("r"."occurred_at") FILTER(WHERE
      "r"."name" = 'order_completed'
      AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)) AS "a3",
    MAX("r"."occurred_at") FILTER(WHERE
      "r"."name" = 'session_start'
      AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)) AS "a4",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'email_open'
      AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)) AS "a5",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'email_open'
      AND (
        "r"."occurred_at" >= CAST('2024-05-02 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )) AS "a6",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'session_start'
      AND (
        "r"."occurred_at" >= CAST('2024-06-24 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )) AS "a7",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'session_start'
      AND (
        "r"."occurred_at" >= CAST('2024-05-25 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-06-24 00:00:00' AS TIMESTAMP)
      )) AS "a8",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'session_start'
      AND "r"."occurred_at" < CAST('2024-05-25 00:00:00' AS TIMESTAMP)) AS "a9",
    COUNT(DISTINCT CAST("r"."occurred_at" AS DATE)) FILTER(WHERE
      "r"."name" = 'session_start'
      AND (
        "r"."occurred_at" >= CAST('2024-06-24 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )) AS "a10",
    COUNT(
      DISTINCT (
        CAST('2024-06-30' AS DATE) - CAST("r"."occurred_at" AS DATE)
      ) - (
        (
          CAST('2024-06-30' AS DATE) - CAST("r"."occurred_at" AS DATE)
        ) % 7
      )
    ) FILTER(WHERE
      "r"."name" = 'session_start'
      AND (
        "r"."occurred_at" >= CAST('2024-06-03 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )) AS "a11",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'webinar_attended'
      AND (
        "r"."occurred_at" >= CAST('2023-07-02 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )) AS "a12",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'workshop_registered'
      AND (
        (
          "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
          OR "r"."occurred_at" IS NULL
        )
        AND "r"."city" = 'Boston'
      )) AS "a13",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'unsubscribed'
      AND (
        "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
        OR "r"."occurred_at" IS NULL
      )) AS "a14",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'order_completed'
      AND (
        "r"."occurred_at" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )) AS "a15",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'session_start'
      AND "r"."occurred_at" < CAST('2024-05-31 00:00:00' AS TIMESTAMP)) AS "a16",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'session_start'
      AND (
        "r"."occurred_at" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )) AS "a17",
    COUNT(*) FILTER(WHERE
      "r"."occurred_at" >= CAST('2024-05-01 00:00:00' AS TIMESTAMP)
      AND (
        "r"."occurred_at" < CAST('2024-06-01 00:00:00' AS TIMESTAMP)
        AND "r"."name" = 'email_open'
      )) AS "a18",
    COUNT(*) FILTER(WHERE
      "r"."name" = 'session_start'
      AND (
        "r"."occurred_at" >= CAST('2024-06-24 00:00:00' AS TIMESTAMP)
        AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
      )) AS "a19"
  FROM "events" AS "r"
  WHERE
    (
      (
        (
          (
            "r"."occurred_at" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP)
            AND (
              "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
              AND "r"."name" = 'email_open'
            )
          )
          OR (
            "r"."name" = 'demo_requested'
            AND (
              "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
              OR "r"."occurred_at" IS NULL
            )
          )
        )
        OR (
          (
            "r"."name" = 'order_completed'
            AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
          )
          OR (
            "r"."name" = 'session_start'
            AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
          )
        )
      )
      OR (
        (
          (
            "r"."name" = 'email_open'
            AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
          )
          OR (
            "r"."name" = 'email_open'
            AND (
              "r"."occurred_at" >= CAST('2024-05-02 00:00:00' AS TIMESTAMP)
              AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
            )
          )
        )
        OR (
          (
            "r"."name" = 'session_start'
            AND (
              "r"."occurred_at" >= CAST('2024-06-24 00:00:00' AS TIMESTAMP)
              AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
            )
          )
          OR (
            (
              "r"."name" = 'session_start'
              AND (
                "r"."occurred_at" >= CAST('2024-05-25 00:00:00' AS TIMESTAMP)
                AND "r"."occurred_at" < CAST('2024-06-24 00:00:00' AS TIMESTAMP)
              )
            )
            OR (
              "r"."name" = 'session_start'
              AND "r"."occurred_at" < CAST('2024-05-25 00:00:00' AS TIMESTAMP)
            )
          )
        )
      )
    )
    OR (
      (
        (
          (
            "r"."name" = 'session_start'
            AND (
              "r"."occurred_at" >= CAST('2024-06-03 00:00:00' AS TIMESTAMP)
              AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
            )
          )
          OR (
            "r"."name" = 'webinar_attended'
            AND (
              "r"."occurred_at" >= CAST('2023-07-02 00:00:00' AS TIMESTAMP)
              AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
            )
          )
        )
        OR (
          (
            "r"."name" = 'workshop_registered'
            AND (
              (
                "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
                OR "r"."occurred_at" IS NULL
              )
              AND "r"."city" = 'Boston'
            )
          )
          OR (
            "r"."name" = 'unsubscribed'
            AND (
              "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
              OR "r"."occurred_at" IS NULL
            )
          )
        )
      )
      OR (
        (
          (
            "r"."name" = 'order_completed'
            AND (
              "r"."occurred_at" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP)
              AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
            )
          )
          OR (
            "r"."name" = 'session_start'
            AND "r"."occurred_at" < CAST('2024-05-31 00:00:00' AS TIMESTAMP)
          )
        )
        OR (
          (
            "r"."name" = 'session_start'
            AND (
              "r"."occurred_at" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP)
              AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
            )
          )
          OR (
            (
              "r"."occurred_at" >= CAST('2024-05-01 00:00:00' AS TIMESTAMP)
              AND (
                "r"."occurred_at" < CAST('2024-06-01 00:00:00' AS TIMESTAMP)
                AND "r"."name" = 'email_open'
              )
            )
            OR (
              "r"."name" = 'session_start'
              AND (
                "r"."occurred_at" >= CAST('2024-06-24 00:00:00' AS TIMESTAMP)
                AND "r"."occurred_at" < CAST('2024-07-01 00:00:00' AS TIMESTAMP)
              )
            )
          )
        )
      )
    )
  GROUP BY
    "r"."customer_id"
), "__rank1" AS (
  SELECT
    "c"."customer_id",
    "c"."region",
    "c"."plan",
    (
      ROW_NUMBER() OVER (ORDER BY COALESCE("__orders"."a3", 0) DESC, "c"."customer_id" ASC) - 1
    ) * 100 < COUNT(COALESCE("__orders"."a3", 0)) OVER () * 10 AS "__w1",
    (
      ROW_NUMBER() OVER (ORDER BY COALESCE("__orders"."a3", 0) ASC, "c"."customer_id" ASC) - 1
    ) * 100 < COUNT(COALESCE("__orders"."a3", 0)) OVER () * 50 AS "__w2",
    ROW_NUMBER() OVER (ORDER BY COALESCE("__orders"."a3", 0) DESC, "c"."customer_id" ASC) <= 100 AS "__w3",
    CASE
      WHEN CAST('2024-06-30' AS DATE) - CAST("__orders"."a1" AS DATE) IS NULL
      THEN NULL
      ELSE NTILE(5) OVER (
        PARTITION BY CAST('2024-06-30' AS DATE) - CAST("__orders"."a1" AS DATE) IS NULL
        ORDER BY CAST('2024-06-30' AS DATE) - CAST("__orders"."a1" AS DATE) ASC, "c"."customer_id" ASC
      )
    END AS "__w4",
    NTILE(5) OVER (ORDER BY COALESCE("__orders"."a4", 0) ASC, "c"."customer_id" ASC) AS "__w5",
    NOT "c"."region" IS NULL
    AND (
      ROW_NUMBER() OVER (
        PARTITION BY "c"."region"
        ORDER BY COALESCE("__orders"."a3", 0) DESC, "c"."customer_id" ASC
      ) - 1
    ) * 100 < COUNT(COALESCE("__orders"."a3", 0)) OVER (PARTITION BY "c"."region") * 5 AS "__w6",
    CASE
      WHEN "c"."plan" IS NULL
      THEN NULL
      WHEN COUNT(COALESCE("__orders"."a3", 0)) OVER (PARTITION BY "c"."plan") = 1
      THEN CAST(100 AS DOUBLE)
      ELSE CAST(100 * (
        ROW_NUMBER() OVER (
          PARTITION BY "c"."plan"
          ORDER BY COALESCE("__orders"."a3", 0) ASC, "c"."customer_id" ASC
        ) - 1
      ) AS DOUBLE) / CAST(COUNT(COALESCE("__orders"."a3", 0)) OVER (PARTITION BY "c"."plan") - 1 AS DOUBLE)
    END AS "__w7",
    CASE
      WHEN "c"."region" IS NULL
      THEN NULL
      ELSE NTILE(5) OVER (
        PARTITION BY "c"."region"
        ORDER BY COALESCE("__orders"."a3", 0) ASC, "c"."customer_id" ASC
      )
    END AS "__w8"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
), "__segments1" AS (
  SELECT
    "c"."customer_id",
    "c"."signup_date",
    "c"."renewal_date",
    "c"."birth_date",
    "c"."region",
    "c"."is_subscribed",
    "c"."city",
    "c"."email",
    "c"."phone",
    "c"."age",
    "c"."plan",
    "c"."apps",
    "c"."devices",
    "c"."interests",
    "__orders"."a1" AS "__orders_a1",
    "__orders"."a2" AS "__orders_a2",
    "__orders"."a3" AS "__orders_a3",
    "__orders"."a5" AS "__orders_a5",
    "__orders"."a6" AS "__orders_a6",
    "__orders"."a7" AS "__orders_a7",
    "__orders"."a8" AS "__orders_a8",
    "__orders"."a9" AS "__orders_a9",
    "__orders"."a10" AS "__orders_a10",
    "__orders"."a11" AS "__orders_a11",
    "__orders"."a12" AS "__orders_a12",
    "__orders"."a13" AS "__orders_a13",
    "__orders:picks"."p1" AS "__orders:p1",
    "__orders:distinct"."a1" AS "__orders:distinct_a1",
    "__events"."a1" AS "__events_a1",
    "__events"."a2" AS "__events_a2",
    "__events"."a3" AS "__events_a3",
    "__events"."a4" AS "__events_a4",
    "__events"."a5" AS "__events_a5",
    "__events"."a6" AS "__events_a6",
    "__events"."a7" AS "__events_a7",
    "__events"."a8" AS "__events_a8",
    "__events"."a9" AS "__events_a9",
    "__events"."a10" AS "__events_a10",
    "__events"."a11" AS "__events_a11",
    "__events"."a12" AS "__events_a12",
    "__events"."a13" AS "__events_a13",
    "__events"."a14" AS "__events_a14",
    "__events"."a15" AS "__events_a15",
    "__events"."a16" AS "__events_a16",
    "__events"."a17" AS "__events_a17",
    "__events"."a18" AS "__events_a18",
    "__events"."a19" AS "__events_a19",
    "r"."__w1" AS "__w1",
    "r"."__w2" AS "__w2",
    "r"."__w3" AS "__w3",
    "r"."__w4" AS "__w4",
    "r"."__w5" AS "__w5",
    "r"."__w6" AS "__w6",
    "r"."__w7" AS "__w7",
    "r"."__w8" AS "__w8",
    COALESCE("c"."region" = 'West Coast', FALSE)
    AND COALESCE("__orders"."a2", 0) >= 3 AS "__s1",
    COALESCE("__orders"."a3", 0) > 1000
    AND COALESCE("__orders"."a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP), FALSE) AS "__s2",
    COALESCE("c"."region" = 'South', FALSE) AND COALESCE("__orders"."a2", 0) >= 1 AS "__s3",
    COALESCE("c"."region" = 'Midwest', FALSE) AND COALESCE("__orders"."a2", 0) >= 2 AS "__s4",
    COALESCE("c"."region" = 'East Coast', FALSE)
    AND COALESCE("__orders"."a2", 0) >= 3 AS "__s5",
    COALESCE(
      (
        (
          CAST('0x' || SUBSTRING(
            MD5('segdsl|global_holdout|global_holdout|' || CAST("c"."customer_id" AS TEXT)),
            1,
            15
          ) AS BIGINT)
        ) % 10000
      ) < 1000,
      FALSE
    ) AS "__s6",
    "r"."__w1" AS "__s7",
    COALESCE("__events"."a14", 0) >= 1 AS "__s8",
    CASE
      WHEN COALESCE("__orders"."a2", 0) >= 3 AND COALESCE("__orders"."a3", 0) >= 1000
      THEN 'champions'
      WHEN COALESCE("__orders"."a2", 0) >= 2
      THEN 'loyal'
      WHEN "__orders"."a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
      THEN 'lapsed'
      WHEN "__orders"."a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
      THEN 'at_risk'
      WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
      AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
      THEN 'newcomers'
      ELSE 'others'
    END IN ('champions', 'loyal', 'newcomers')
    AND COALESCE(
      (
        (
          CAST('0x' || SUBSTRING(MD5('segdsl|summer_campaign|2024-07|' || CAST("c"."customer_id" AS TEXT)), 1, 15) AS BIGINT)
        ) % 10000
      ) >= 2000,
      FALSE
    ) AS "__s9"
  FROM "customers" AS "c"
  LEFT JOIN "__orders"
    ON "__orders"."__key" = "c"."customer_id"
  LEFT JOIN "__orders:picks"
    ON "__orders:picks"."__key" = "c"."customer_id"
  LEFT JOIN "__orders:distinct"
    ON "__orders:distinct"."__key" = "c"."customer_id"
  LEFT JOIN "__events"
    ON "__events"."__key" = "c"."customer_id"
  JOIN "__rank1" AS "r"
    ON "r"."customer_id" = "c"."customer_id"
)
SELECT
  "c"."customer_id",
  COALESCE("c"."signup_date" > CAST('2024-05-31' AS DATE), FALSE)
  AND COALESCE("c"."signup_date" <= CAST('2024-06-30' AS DATE), FALSE) AS "new_signups",
  COALESCE("c"."signup_date" >= CAST('2024-01-01' AS DATE), FALSE)
  AND COALESCE("c"."signup_date" <= CAST('2024-03-31' AS DATE), FALSE) AS "q1_signups",
  COALESCE("c"."signup_date" < CAST('2020-01-01' AS DATE), FALSE) AS "early",
  COALESCE("c"."__orders_a1" >= CAST('2024-06-17 00:00:00' AS TIMESTAMP), FALSE) AS "recent_buyers",
  COALESCE("c"."__orders_a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP), FALSE) AS "dormant",
  COALESCE("c"."renewal_date" >= CAST('2024-06-30' AS DATE), FALSE)
  AND COALESCE("c"."renewal_date" < CAST('2024-07-30' AS DATE), FALSE) AS "renewals_due",
  COALESCE("c"."signup_date" = CAST('2024-06-01' AS DATE), FALSE) AS "on_launch_day",
  "c"."__s1" AS "west_coast_regulars",
  "c"."__s2" AS "lapsed_vips",
  (
    CASE WHEN COALESCE("c"."__events_a1", 0) >= 3 THEN 10 ELSE 0 END + CASE WHEN COALESCE("c"."__events_a2", 0) >= 1 THEN 20 ELSE 0 END + CASE
      WHEN COALESCE("c"."__orders_a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP), FALSE)
      THEN -15
      ELSE 0
    END
  ) >= 25 AS "hot_leads",
  COALESCE("c"."__events_a3" >= CAST('2024-06-01 00:00:00' AS TIMESTAMP), FALSE)
  AND COALESCE("c"."__events_a3" < CAST('2024-07-01 00:00:00' AS TIMESTAMP), FALSE) AS "first_time_buyers",
  COALESCE("c"."__events_a4" >= CAST('2024-04-01 00:00:00' AS TIMESTAMP), FALSE)
  AND COALESCE("c"."__events_a4" < CAST('2024-06-01 00:00:00' AS TIMESTAMP), FALSE) AS "last_seen_band",
  COALESCE("c"."__events_a5", 0) >= 1
  AND NOT (
    COALESCE("c"."__events_a6", 0) >= 1
  ) AS "stopped_opening",
  COALESCE("c"."__events_a7", 0) >= 1
  AND (
    NOT (
      COALESCE("c"."__events_a8", 0) >= 1
    )
    AND COALESCE("c"."__events_a9", 0) >= 1
  ) AS "came_back",
  COALESCE("c"."__events_a10", 0) >= 4 AS "regulars",
  COALESCE("c"."__events_a11", 0) >= 3 AS "steady",
  COALESCE(ARRAY_CONTAINS("c"."interests", 'hiking'), FALSE) AS "hikers",
  COALESCE(ARRAY_CONTAINS("c"."interests", 'hiking'), FALSE)
  OR (
    COALESCE(ARRAY_CONTAINS("c"."interests", 'camping'), FALSE)
    OR COALESCE(ARRAY_CONTAINS("c"."interests", 'climbing'), FALSE)
  ) AS "outdoorsy",
  COALESCE(ARRAY_CONTAINS("c"."devices", 'mobile'), FALSE)
  AND COALESCE(ARRAY_CONTAINS("c"."devices", 'desktop'), FALSE) AS "multi_device",
  NOT (
    COALESCE(ARRAY_CONTAINS("c"."apps", 'ios_app'), FALSE)
    OR COALESCE(ARRAY_CONTAINS("c"."apps", 'android_app'), FALSE)
  ) AS "no_apps",
  "c"."__s3" AS "regulars_in__south_1_b30053",
  "c"."__s4" AS "regulars_in__midwest_2_a38e79",
  "c"."__s5" AS "regulars_in__east_coast_3_161d7d",
  "c"."__s3" AS "southern_regulars",
  "c"."__s4" AS "midwest_regulars",
  "c"."__s5" AS "east_coast_regulars",
  CASE
    WHEN COALESCE("c"."__orders_a2", 0) >= 3 AND COALESCE("c"."__orders_a3", 0) >= 1000
    THEN 'champions'
    WHEN COALESCE("c"."__orders_a2", 0) >= 2
    THEN 'loyal'
    WHEN "c"."__orders_a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    THEN 'lapsed'
    WHEN "c"."__orders_a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
    THEN 'at_risk'
    WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
    AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
    THEN 'newcomers'
    ELSE 'others'
  END = 'champions' AS "lifecycle.champions",
  CASE
    WHEN COALESCE("c"."__orders_a2", 0) >= 3 AND COALESCE("c"."__orders_a3", 0) >= 1000
    THEN 'champions'
    WHEN COALESCE("c"."__orders_a2", 0) >= 2
    THEN 'loyal'
    WHEN "c"."__orders_a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    THEN 'lapsed'
    WHEN "c"."__orders_a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
    THEN 'at_risk'
    WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
    AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
    THEN 'newcomers'
    ELSE 'others'
  END = 'loyal' AS "lifecycle.loyal",
  CASE
    WHEN COALESCE("c"."__orders_a2", 0) >= 3 AND COALESCE("c"."__orders_a3", 0) >= 1000
    THEN 'champions'
    WHEN COALESCE("c"."__orders_a2", 0) >= 2
    THEN 'loyal'
    WHEN "c"."__orders_a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    THEN 'lapsed'
    WHEN "c"."__orders_a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
    THEN 'at_risk'
    WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
    AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
    THEN 'newcomers'
    ELSE 'others'
  END = 'lapsed' AS "lifecycle.lapsed",
  CASE
    WHEN COALESCE("c"."__orders_a2", 0) >= 3 AND COALESCE("c"."__orders_a3", 0) >= 1000
    THEN 'champions'
    WHEN COALESCE("c"."__orders_a2", 0) >= 2
    THEN 'loyal'
    WHEN "c"."__orders_a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    THEN 'lapsed'
    WHEN "c"."__orders_a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
    THEN 'at_risk'
    WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
    AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
    THEN 'newcomers'
    ELSE 'others'
  END = 'at_risk' AS "lifecycle.at_risk",
  CASE
    WHEN COALESCE("c"."__orders_a2", 0) >= 3 AND COALESCE("c"."__orders_a3", 0) >= 1000
    THEN 'champions'
    WHEN COALESCE("c"."__orders_a2", 0) >= 2
    THEN 'loyal'
    WHEN "c"."__orders_a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    THEN 'lapsed'
    WHEN "c"."__orders_a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
    THEN 'at_risk'
    WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
    AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
    THEN 'newcomers'
    ELSE 'others'
  END = 'newcomers' AS "lifecycle.newcomers",
  CASE
    WHEN COALESCE("c"."__orders_a2", 0) >= 3 AND COALESCE("c"."__orders_a3", 0) >= 1000
    THEN 'champions'
    WHEN COALESCE("c"."__orders_a2", 0) >= 2
    THEN 'loyal'
    WHEN "c"."__orders_a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    THEN 'lapsed'
    WHEN "c"."__orders_a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
    THEN 'at_risk'
    WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
    AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
    THEN 'newcomers'
    ELSE 'others'
  END = 'others' AS "lifecycle.others",
  CASE
    WHEN COALESCE("c"."__orders_a2", 0) >= 3 AND COALESCE("c"."__orders_a3", 0) >= 1000
    THEN 'champions'
    WHEN COALESCE("c"."__orders_a2", 0) >= 2
    THEN 'loyal'
    WHEN "c"."__orders_a1" < CAST('2024-01-02 00:00:00' AS TIMESTAMP)
    THEN 'lapsed'
    WHEN "c"."__orders_a1" < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
    THEN 'at_risk'
    WHEN "c"."signup_date" > CAST('2024-05-31' AS DATE)
    AND "c"."signup_date" <= CAST('2024-06-30' AS DATE)
    THEN 'newcomers'
    ELSE 'others'
  END IN ('at_risk', 'lapsed')
  AND COALESCE("c"."is_subscribed", FALSE) AS "reactivation",
  "c"."__s6" AS "global_holdout",
  "c"."__s9" AND NOT (
    "c"."__s6"
  ) AS "summer_send",
  "c"."__s7" AS "top_decile",
  "c"."__w2" AS "bottom_half",
  "c"."__w3" AS "top_100",
  COALESCE("c"."__w4" = 1, FALSE) AND COALESCE("c"."__w5" = 5, FALSE) AS "champions",
  "c"."__w6" AS "top_spenders_per_region",
  COALESCE("c"."__w7" = 100, FALSE) AS "best_of_plan",
  COALESCE("c"."__w8" = 5, FALSE) AS "top_quintile_in_region",
  COALESCE("c"."__orders_a2", 0) >= 3 AS "frequent",
  COALESCE("c"."__orders_a3", 0) > 500 AS "big_spenders",
  COALESCE("c"."__orders:distinct_a1", 0) >= 5 AS "loyal",
  COALESCE("c"."__orders_a5" >= 100, FALSE) AS "high_aov",
  COALESCE("c"."__orders_a6", 0) > 0 AS "ever_refunded",
  NOT (
    COALESCE("c"."__orders_a7", 0) > 0
  ) AS "never_bought",
  COALESCE("c"."__orders:p1" = 'mobile_app', FALSE) AS "mobile_first",
  COALESCE("c"."__events_a12", 0) >= 2 AS "webinar_fans",
  COALESCE("c"."__events_a13", 0) >= 1 AS "boston_workshop",
  "c"."__s8" AS "unsubscribed",
  COALESCE("c"."__events_a7", 0) >= 1
  AND NOT (
    COALESCE("c"."__events_a15", 0) >= 1
  ) AS "active_not_buying",
  COALESCE("c"."age" >= 18, FALSE) AND COALESCE("c"."age" < 35, FALSE) AS "s1",
  NOT (
    COALESCE("c"."region" = 'West Coast', FALSE)
  ) AS "s2",
  COALESCE("c"."plan" IN ('pro', 'enterprise'), FALSE) AS "s3",
  NOT (
    COALESCE("c"."plan" = 'free', FALSE)
  ) AS "s4",
  COALESCE("c"."age" >= 25, FALSE) AND COALESCE("c"."age" <= 34, FALSE) AS "s5",
  NOT "c"."email" IS NULL AND "c"."phone" IS NULL AS "s6",
  COALESCE(ENDS_WITH(LOWER("c"."email"), LOWER('@gmail.com')), FALSE) AS "s7",
  COALESCE(STRPOS(LOWER("c"."city"), LOWER('san')) > 0, FALSE)
  OR COALESCE(STARTS_WITH(LOWER("c"."city"), LOWER('New')), FALSE) AS "s8",
  COALESCE("c"."is_subscribed", FALSE) AS "s9",
  NOT (
    COALESCE("c"."is_subscribed", FALSE)
  ) AS "s10",
  "c"."__s1" AND "c"."__s7" AS "west_coast_vips",
  "c"."__s2" AND NOT (
    "c"."__s8"
  ) AS "win_back",
  COALESCE("c"."__orders_a8", 0) >= 1 AS "q1_buyers",
  COALESCE("c"."__events_a16", 0) >= 1
  AND NOT (
    COALESCE("c"."__events_a17", 0) >= 1
  ) AS "lapsed_sessions",
  COALESCE("c"."__orders_a9", 0) > 0 AS "mid_band_buyers",
  COALESCE("c"."__events_a18", 0) >= 2 AS "june_openers",
  COALESCE("c"."signup_date" >= CAST('2024-06-01' AS DATE), FALSE)
  AND COALESCE("c"."signup_date" <= CAST('2024-06-30' AS DATE), FALSE) AS "signed_up_this_month",
  COALESCE("c"."renewal_date" >= CAST('2024-07-01' AS DATE), FALSE)
  AND COALESCE("c"."renewal_date" <= CAST('2024-09-30' AS DATE), FALSE) AS "renew_next_quarter",
  COALESCE("c"."__orders_a10", 0) > 0 AS "bought_last_year",
  COALESCE("c"."__events_a19", 0) >= 1 AS "active_this_week",
  COALESCE(
    (
      (
        MONTH("c"."birth_date") * 100 + DAY("c"."birth_date")
      ) >= 630
      AND (
        MONTH("c"."birth_date") * 100 + DAY("c"."birth_date")
      ) <= 706
    ),
    FALSE
  ) AS "birthday_this_week",
  COALESCE(
    (
      (
        MONTH("c"."birth_date") * 100 + DAY("c"."birth_date")
      ) >= 601
      AND (
        MONTH("c"."birth_date") * 100 + DAY("c"."birth_date")
      ) <= 630
    ),
    FALSE
  ) AS "birthday_month",
  COALESCE(
    (
      (
        MONTH("c"."birth_date") * 100 + DAY("c"."birth_date")
      ) >= 630
      AND (
        MONTH("c"."birth_date") * 100 + DAY("c"."birth_date")
      ) <= 630
    ),
    FALSE
  ) AS "birthday_today",
  COALESCE(
    (
      (
        MONTH("c"."signup_date") * 100 + DAY("c"."signup_date")
      ) >= 624
      AND (
        MONTH("c"."signup_date") * 100 + DAY("c"."signup_date")
      ) <= 630
    ),
    FALSE
  )
  AND COALESCE(
    (
      2024 - YEAR("c"."signup_date") - CASE
        WHEN 630 < (
          MONTH("c"."signup_date") * 100 + DAY("c"."signup_date")
        )
        THEN 1
        ELSE 0
      END
    ) >= 1,
    FALSE
  ) AS "signup_anniversary",
  COALESCE("c"."renewal_date" < CAST("c"."signup_date" + INTERVAL 365 DAY AS DATE), FALSE) AS "renewed_early",
  COALESCE("c"."__orders_a11", 0) >= 1 AS "activated",
  COALESCE(
    (
      CAST("c"."__orders_a1" AS DATE) - CAST("c"."__orders_a12" AS DATE)
    ) > 90,
    FALSE
  ) AS "slow_second_order",
  COALESCE("c"."__orders_a13", 0) >= 3 AS "weekend_shoppers"
FROM "__segments1" AS "c"
ORDER BY
  "c"."customer_id"
