WITH `__orders` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    MAX(`r`.`ordered_at`) AS `a1`,
    COUNT(
      CASE
        WHEN COALESCE(CAST(`r`.`ordered_at` AS DATE) > CAST('2024-04-01' AS DATE), FALSE)
        AND COALESCE(CAST(`r`.`ordered_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        THEN 1
      END
    ) AS `a2`,
    SUM(CASE WHEN COALESCE(`r`.`status` = 'paid', FALSE) THEN `r`.`amount` END) AS `a3`,
    COUNT(
      CASE
        WHEN COALESCE(CAST(`r`.`ordered_at` AS DATE) > CAST('2023-07-01' AS DATE), FALSE)
        AND COALESCE(CAST(`r`.`ordered_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        THEN 1
      END
    ) AS `a4`,
    COUNT(DISTINCT `r`.`ordered_at`) AS `a5`,
    AVG(CAST(`r`.`amount` AS FLOAT64)) AS `a6`,
    COUNT(CASE WHEN COALESCE(`r`.`status` = 'refunded', FALSE) THEN 1 END) AS `a7`,
    COUNT(*) AS `a8`,
    MAX(
      CASE WHEN NOT `r`.`ordered_at` IS NULL AND `r`.`__rn9` = 1 THEN `r`.`channel` END
    ) AS `a9`
  FROM (
    SELECT
      `orders`.*,
      ROW_NUMBER() OVER (
        PARTITION BY `orders`.`customer_id`, NOT `orders`.`ordered_at` IS NULL
        ORDER BY `orders`.`ordered_at` DESC, `orders`.`channel` DESC
      ) AS `__rn9`
    FROM `orders`
  ) AS `r`
  GROUP BY
    `r`.`customer_id`
), `__events` AS (
  SELECT
    `r`.`customer_id` AS `__key`,
    COUNT(
      CASE
        WHEN COALESCE(CAST(`r`.`occurred_at` AS DATE) > CAST('2024-05-31' AS DATE), FALSE)
        AND (
          COALESCE(CAST(`r`.`occurred_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
          AND COALESCE(`r`.`name` = 'email_open', FALSE)
        )
        THEN 1
      END
    ) AS `a1`,
    COUNT(CASE WHEN COALESCE(`r`.`name` = 'demo_requested', FALSE) THEN 1 END) AS `a2`,
    COUNT(
      CASE
        WHEN COALESCE(`r`.`name` = 'webinar_attended', FALSE)
        AND (
          COALESCE(CAST(`r`.`occurred_at` AS DATE) > CAST('2023-07-01' AS DATE), FALSE)
          AND COALESCE(CAST(`r`.`occurred_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        )
        THEN 1
      END
    ) AS `a3`,
    COUNT(
      CASE
        WHEN COALESCE(`r`.`name` = 'workshop_registered', FALSE)
        AND COALESCE(`r`.`city` = 'Boston', FALSE)
        THEN 1
      END
    ) AS `a4`,
    COUNT(CASE WHEN COALESCE(`r`.`name` = 'unsubscribed', FALSE) THEN 1 END) AS `a5`,
    COUNT(
      CASE
        WHEN COALESCE(`r`.`name` = 'session_start', FALSE)
        AND (
          COALESCE(CAST(`r`.`occurred_at` AS DATE) > CAST('2024-06-23' AS DATE), FALSE)
          AND COALESCE(CAST(`r`.`occurred_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        )
        THEN 1
      END
    ) AS `a6`,
    COUNT(
      CASE
        WHEN COALESCE(`r`.`name` = 'order_completed', FALSE)
        AND (
          COALESCE(CAST(`r`.`occurred_at` AS DATE) > CAST('2024-05-31' AS DATE), FALSE)
          AND COALESCE(CAST(`r`.`occurred_at` AS DATE) <= CAST('2024-06-30' AS DATE), FALSE)
        )
        THEN 1
      END
    ) AS `a7`
  FROM `events` AS `r`
  GROUP BY
    `r`.`customer_id`
), `__rank1` AS (
  SELECT
    `c`.`customer_id` AS `__key`,
    (
      ROW_NUMBER() OVER (ORDER BY COALESCE(`__orders`.`a3`, 0) DESC, `c`.`customer_id` ASC NULLS LAST) - 1
    ) * 100 < COUNT(COALESCE(`__orders`.`a3`, 0)) OVER () * 10 AS `w1`,
    (
      ROW_NUMBER() OVER (
        ORDER BY COALESCE(`__orders`.`a3`, 0) ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
      ) - 1
    ) * 100 < COUNT(COALESCE(`__orders`.`a3`, 0)) OVER () * 50 AS `w2`,
    ROW_NUMBER() OVER (ORDER BY COALESCE(`__orders`.`a3`, 0) DESC, `c`.`customer_id` ASC NULLS LAST) <= 100 AS `w3`,
    CASE
      WHEN DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) IS NULL
      THEN NULL
      ELSE NTILE(5) OVER (
        PARTITION BY DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) IS NULL
        ORDER BY DATE_DIFF(CAST('2024-06-30' AS DATE), CAST(`__orders`.`a1` AS DATE), DAY) ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
      )
    END AS `w4`,
    NTILE(5) OVER (
      ORDER BY COALESCE(`__orders`.`a4`, 0) ASC NULLS LAST, `c`.`customer_id` ASC NULLS LAST
    ) AS `w5`
  FROM `customers` AS `c`
  LEFT JOIN `__orders`
    ON `__orders`.`__key` = `c`.`customer_id`
  LEFT JOIN `__events`
    ON `__events`.`__key` = `c`.`customer_id`
), `__segments1` AS (
  SELECT
    `c`.`customer_id` AS `__key`,
    COALESCE(`c`.`signup_date` > CAST('2024-05-31' AS DATE), FALSE)
    AND COALESCE(`c`.`signup_date` <= CAST('2024-06-30' AS DATE), FALSE) AS `s1`,
    COALESCE(`c`.`signup_date` >= CAST('2024-01-01' AS DATE), FALSE)
    AND COALESCE(`c`.`signup_date` <= CAST('2024-03-31' AS DATE), FALSE) AS `s2`,
    COALESCE(`c`.`signup_date` < CAST('2020-01-01' AS DATE), FALSE) AS `s3`,
    COALESCE(CAST(`__orders`.`a1` AS DATE) > CAST('2024-06-16' AS DATE), FALSE) AS `s4`,
    COALESCE(CAST(`__orders`.`a1` AS DATE) < CAST('2024-01-02' AS DATE), FALSE) AS `s5`,
    COALESCE(`c`.`renewal_date` >= CAST('2024-06-30' AS DATE), FALSE)
    AND COALESCE(`c`.`renewal_date` < CAST('2024-07-30' AS DATE), FALSE) AS `s6`,
    COALESCE(`c`.`signup_date` = CAST('2024-06-01' AS DATE), FALSE) AS `s7`,
    COALESCE(`c`.`region` = 'West Coast', FALSE)
    AND COALESCE(`__orders`.`a2`, 0) >= 3 AS `s8`,
    COALESCE(`__orders`.`a3`, 0) > 1000
    AND COALESCE(CAST(`__orders`.`a1` AS DATE) < CAST('2024-01-02' AS DATE), FALSE) AS `s9`,
    (
      CASE WHEN COALESCE(`__events`.`a1`, 0) >= 3 THEN 10 ELSE 0 END + CASE WHEN COALESCE(`__events`.`a2`, 0) >= 1 THEN 20 ELSE 0 END + CASE
        WHEN COALESCE(CAST(`__orders`.`a1` AS DATE) < CAST('2024-04-01' AS DATE), FALSE)
        THEN -15
        ELSE 0
      END
    ) >= 25 AS `s10`,
    COALESCE('hiking' IN UNNEST(`c`.`interests`), FALSE) AS `s11`,
    COALESCE('hiking' IN UNNEST(`c`.`interests`), FALSE)
    OR (
      COALESCE('camping' IN UNNEST(`c`.`interests`), FALSE)
      OR COALESCE('climbing' IN UNNEST(`c`.`interests`), FALSE)
    ) AS `s12`,
    COALESCE('mobile' IN UNNEST(`c`.`devices`), FALSE)
    AND COALESCE('desktop' IN UNNEST(`c`.`devices`), FALSE) AS `s13`,
    NOT (
      COALESCE('ios_app' IN UNNEST(`c`.`apps`), FALSE)
      OR COALESCE('android_app' IN UNNEST(`c`.`apps`), FALSE)
    ) AS `s14`,
    `__rank1`.`w1` AS `s15`,
    `__rank1`.`w2` AS `s16`,
    `__rank1`.`w3` AS `s17`,
    COALESCE(`__rank1`.`w4` = 1, FALSE) AND COALESCE(`__rank1`.`w5` = 5, FALSE) AS `s18`,
    COALESCE(`__orders`.`a2`, 0) >= 3 AS `s19`,
    COALESCE(`__orders`.`a3`, 0) > 500 AS `s20`,
    COALESCE(`__orders`.`a5`, 0) >= 5 AS `s21`,
    COALESCE(`__orders`.`a6` >= 100, FALSE) AS `s22`,
    COALESCE(`__orders`.`a7`, 0) > 0 AS `s23`,
    NOT (
      COALESCE(`__orders`.`a8`, 0) > 0
    ) AS `s24`,
    COALESCE(`__orders`.`a9` = 'mobile_app', FALSE) AS `s25`,
    COALESCE(`__events`.`a3`, 0) >= 2 AS `s26`,
    COALESCE(`__events`.`a4`, 0) >= 1 AS `s27`,
    COALESCE(`__events`.`a5`, 0) >= 1 AS `s28`,
    COALESCE(`__events`.`a6`, 0) >= 1 AND NOT (
      COALESCE(`__events`.`a7`, 0) >= 1
    ) AS `s29`,
    COALESCE(`c`.`age` >= 18, FALSE) AND COALESCE(`c`.`age` < 35, FALSE) AS `s30`,
    NOT (
      COALESCE(`c`.`region` = 'West Coast', FALSE)
    ) AS `s31`,
    COALESCE(`c`.`plan` IN ('pro', 'enterprise'), FALSE) AS `s32`,
    NOT (
      COALESCE(`c`.`plan` = 'free', FALSE)
    ) AS `s33`,
    COALESCE(`c`.`age` >= 25, FALSE) AND COALESCE(`c`.`age` <= 34, FALSE) AS `s34`,
    NOT `c`.`email` IS NULL AND NOT (
      NOT `c`.`phone` IS NULL
    ) AS `s35`,
    COALESCE(ENDS_WITH(LOWER(`c`.`email`), LOWER('@gmail.com')), FALSE) AS `s36`,
    COALESCE(INSTR(LOWER(`c`.`city`), LOWER('san')) > 0, FALSE)
    OR COALESCE(STARTS_WITH(LOWER(`c`.`city`), LOWER('New')), FALSE) AS `s37`,
    COALESCE(`c`.`is_subscribed`, FALSE) AS `s38`,
    NOT (
      COALESCE(`c`.`is_subscribed`, FALSE)
    ) AS `s39`
  FROM `customers` AS `c`
  LEFT JOIN `__orders`
    ON `__orders`.`__key` = `c`.`customer_id`
  LEFT JOIN `__events`
    ON `__events`.`__key` = `c`.`customer_id`
  LEFT JOIN `__rank1`
    ON `__rank1`.`__key` = `c`.`customer_id`
)
SELECT
  `c`.`customer_id`,
  `__segments1`.`s1` AS `new_signups`,
  `__segments1`.`s2` AS `q1_signups`,
  `__segments1`.`s3` AS `early`,
  `__segments1`.`s4` AS `recent_buyers`,
  `__segments1`.`s5` AS `dormant`,
  `__segments1`.`s6` AS `renewals_due`,
  `__segments1`.`s7` AS `on_launch_day`,
  `__segments1`.`s8` AS `west_coast_regulars`,
  `__segments1`.`s9` AS `lapsed_vips`,
  `__segments1`.`s10` AS `hot_leads`,
  `__segments1`.`s11` AS `hikers`,
  `__segments1`.`s12` AS `outdoorsy`,
  `__segments1`.`s13` AS `multi_device`,
  `__segments1`.`s14` AS `no_apps`,
  `__segments1`.`s15` AS `top_decile`,
  `__segments1`.`s16` AS `bottom_half`,
  `__segments1`.`s17` AS `top_100`,
  `__segments1`.`s18` AS `champions`,
  `__segments1`.`s19` AS `frequent`,
  `__segments1`.`s20` AS `big_spenders`,
  `__segments1`.`s21` AS `loyal`,
  `__segments1`.`s22` AS `high_aov`,
  `__segments1`.`s23` AS `ever_refunded`,
  `__segments1`.`s24` AS `never_bought`,
  `__segments1`.`s25` AS `mobile_first`,
  `__segments1`.`s26` AS `webinar_fans`,
  `__segments1`.`s27` AS `boston_workshop`,
  `__segments1`.`s28` AS `unsubscribed`,
  `__segments1`.`s29` AS `active_not_buying`,
  `__segments1`.`s30` AS `s1`,
  `__segments1`.`s31` AS `s2`,
  `__segments1`.`s32` AS `s3`,
  `__segments1`.`s33` AS `s4`,
  `__segments1`.`s34` AS `s5`,
  `__segments1`.`s35` AS `s6`,
  `__segments1`.`s36` AS `s7`,
  `__segments1`.`s37` AS `s8`,
  `__segments1`.`s38` AS `s9`,
  `__segments1`.`s39` AS `s10`,
  `__segments1`.`s8` AND `__segments1`.`s15` AS `west_coast_vips`,
  `__segments1`.`s9` AND NOT (
    `__segments1`.`s28`
  ) AS `win_back`
FROM `customers` AS `c`
LEFT JOIN `__orders`
  ON `__orders`.`__key` = `c`.`customer_id`
LEFT JOIN `__events`
  ON `__events`.`__key` = `c`.`customer_id`
LEFT JOIN `__rank1`
  ON `__rank1`.`__key` = `c`.`customer_id`
LEFT JOIN `__segments1`
  ON `__segments1`.`__key` = `c`.`customer_id`
ORDER BY
  `c`.`customer_id`
