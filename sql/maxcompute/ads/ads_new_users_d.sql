-- ads_new_users_d: users who signed up on one business date, per sign-up channel
-- and in all ('all', also on a day without sign-ups: 0), T+1. DataWorks node
-- ads_new_users_d, parameter bizdate=$bizdate.
-- ods_users_d is loaded incrementally by updated_time, every row changed since
-- bizdate began (lib/dataworks/di-job-spec.ts incrementalWhere): a user who signed
-- up on bizdate is in its partition even when they changed again before the load.
-- Reading only that partition keeps a rerun or backfill at the numbers of the load.
CREATE TABLE IF NOT EXISTS ads_new_users_d (
  source    STRING COMMENT 'sign-up channel (web, miniprogram, app), or all',
  new_users BIGINT COMMENT 'users whose register_time is on the business date'
)
COMMENT 'New users per day (ADS, T+1)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd')
LIFECYCLE 1095;

INSERT OVERWRITE TABLE ads_new_users_d PARTITION (ds = '${bizdate}')
SELECT source, COUNT(DISTINCT user_id) AS new_users
FROM ods_users_d
WHERE ds = '${bizdate}'
  AND TO_CHAR(register_time, 'yyyymmdd') = '${bizdate}'
GROUP BY source
UNION ALL
-- An aggregate without GROUP BY always gives its row: 'all' is 0 on a day without sign-ups.
SELECT 'all' AS source, COUNT(DISTINCT user_id) AS new_users
FROM ods_users_d
WHERE ds = '${bizdate}'
  AND TO_CHAR(register_time, 'yyyymmdd') = '${bizdate}';
