-- ads_funnel_d: the conversion funnel of one business date (the seed's funnel:
-- distinct users per page, as a percentage of the most visited page), T+1.
-- DataWorks node ads_funnel_d, parameter bizdate=$bizdate.
CREATE TABLE IF NOT EXISTS ads_funnel_d (
  page_name       STRING COMMENT 'page (funnel step)',
  users           BIGINT COMMENT 'distinct users who viewed the page that day',
  conversion_rate DOUBLE COMMENT 'users / users of the most visited page, percent'
)
COMMENT 'Conversion funnel per day (ADS, T+1)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd')
LIFECYCLE 1095;

INSERT OVERWRITE TABLE ads_funnel_d PARTITION (ds = '${bizdate}')
SELECT page_name,
       users,
       ROUND(users * 100.0 / MAX(users) OVER (), 2) AS conversion_rate
FROM (
  SELECT page_name, COUNT(DISTINCT user_id) AS users
  FROM ods_page_views_d
  WHERE ds = '${bizdate}'
    AND TO_CHAR(created_time, 'yyyymmdd') = '${bizdate}'
  GROUP BY page_name
) funnel;
