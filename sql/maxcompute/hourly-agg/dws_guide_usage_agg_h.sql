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
       MAX(guide_name)                  AS guide_name,
       COUNT(*)                         AS uses,
       COUNT(DISTINCT user_id)          AS users,
       SUM(CAST(duration_seconds AS BIGINT)) AS duration_seconds
FROM ods_guide_usage_h
WHERE ds = '${bizdate}' AND hh = '${hh}'
  -- The first load of a table is a full one into a single partition: keep only the hour.
  AND TO_CHAR(created_time, 'yyyymmddhh') = CONCAT('${bizdate}', '${hh}')
GROUP BY guide_id;
