-- ads_dau_d: daily active users of one business date (the seed's DAU: distinct
-- users with a page view), T+1. DataWorks node ads_dau_d, parameter bizdate=$bizdate,
-- scheduled after the daily DI load of ods_page_views_d has landed.
CREATE TABLE IF NOT EXISTS ads_dau_d (
  dau        BIGINT COMMENT 'distinct users with at least one page view that day',
  page_views BIGINT COMMENT 'page views that day'
)
COMMENT 'Daily active users (ADS, T+1)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd')
LIFECYCLE 1095;

INSERT OVERWRITE TABLE ads_dau_d PARTITION (ds = '${bizdate}')
SELECT COUNT(DISTINCT user_id) AS dau,
       COUNT(*)                AS page_views
FROM ods_page_views_d
WHERE ds = '${bizdate}'
  AND TO_CHAR(created_time, 'yyyymmdd') = '${bizdate}';
