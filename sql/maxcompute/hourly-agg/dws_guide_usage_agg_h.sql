-- dws_guide_usage_agg_h: shooting-guide use per guide in one hour. DataWorks node
-- dws_guide_usage_agg_h, parameters bizdate=$[yyyymmdd-1/24] hh=$[hh24-1/24]
-- (the hour the hourly DI job loaded at hh:05), scheduled after that load.
CREATE TABLE IF NOT EXISTS dws_guide_usage_agg_h (
  guide_id         STRING COMMENT 'shooting guide id',
  guide_name       STRING COMMENT 'shooting guide title (latest seen in the hour)',
  uses             BIGINT COMMENT 'uses in the hour',
  users            BIGINT COMMENT 'distinct users in the hour',
  duration_seconds BIGINT COMMENT 'total time spent in the guide, seconds'
)
COMMENT 'Guide usage per guide and hour (DWS, hourly)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd', hh STRING COMMENT 'hour of day, 00-23')
LIFECYCLE 90;

INSERT OVERWRITE TABLE dws_guide_usage_agg_h PARTITION (ds = '${bizdate}', hh = '${hh}')
SELECT guide_id,
       MAX(IF(latest = 1, guide_name, NULL)) AS guide_name,
       COUNT(*)                         AS uses,
       COUNT(DISTINCT user_id)          AS users,
       SUM(CAST(duration_seconds AS BIGINT)) AS duration_seconds
FROM (
  SELECT guide_id, guide_name, user_id, duration_seconds,
         -- The title of the hour's last use (MAX(guide_name) would be the greatest, not the latest).
         ROW_NUMBER() OVER (PARTITION BY guide_id ORDER BY created_time DESC, id DESC) AS latest
  FROM ods_guide_usage_h
  WHERE ds = '${bizdate}' AND hh = '${hh}'
    -- The partition holds every row loaded since the hour began (the first load: every row): keep the hour's.
    AND TO_CHAR(created_time, 'yyyymmddhh') = CONCAT('${bizdate}', '${hh}')
) uses
GROUP BY guide_id;
