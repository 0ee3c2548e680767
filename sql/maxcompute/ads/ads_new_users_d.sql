-- ads_new_users_d: users who signed up on one business date, per sign-up channel
-- and in all ('all'), T+1. DataWorks node ads_new_users_d, parameter bizdate=$bizdate.
-- ods_users_d is loaded incrementally by updated_time: a user who signed up on
-- bizdate and changed again before the load lands in a later partition, so every
-- partition from bizdate on is read (a rerun or backfill then counts them too).
CREATE TABLE IF NOT EXISTS ads_new_users_d (
  source    STRING COMMENT 'sign-up channel (web, miniprogram, app), or all',
  new_users BIGINT COMMENT 'users whose register_time is on the business date'
)
COMMENT 'New users per day (ADS, T+1)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd')
LIFECYCLE 1095;

INSERT OVERWRITE TABLE ads_new_users_d PARTITION (ds = '${bizdate}')
SELECT COALESCE(source, 'all')  AS source,
       COUNT(DISTINCT user_id) AS new_users
FROM ods_users_d
WHERE ds >= '${bizdate}'
  AND TO_CHAR(register_time, 'yyyymmdd') = '${bizdate}'
GROUP BY GROUPING SETS ((source), ());
