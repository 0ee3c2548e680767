-- dws_page_views_agg_h: page views and visitors per page in one hour. DataWorks
-- node dws_page_views_agg_h, parameters bizdate=$[yyyymmdd-1/24] hh=$[hh24-1/24]
-- (the hour the hourly DI job loaded at hh:05), scheduled after that load.
CREATE TABLE IF NOT EXISTS dws_page_views_agg_h (
  page_name STRING COMMENT 'page',
  pv        BIGINT COMMENT 'page views in the hour',
  uv        BIGINT COMMENT 'distinct users in the hour',
  avg_stay_ms DOUBLE COMMENT 'mean time on page, milliseconds'
)
COMMENT 'Page views per page and hour (DWS, hourly)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd', hh STRING COMMENT 'hour of day, 00-23')
LIFECYCLE 90;

INSERT OVERWRITE TABLE dws_page_views_agg_h PARTITION (ds = '${bizdate}', hh = '${hh}')
SELECT page_name,
       COUNT(*)                              AS pv,
       COUNT(DISTINCT user_id)               AS uv,
       ROUND(AVG(CAST(stay_ms AS DOUBLE)), 1) AS avg_stay_ms
FROM ods_page_views_h
WHERE ds = '${bizdate}' AND hh = '${hh}'
  -- The partition holds every row loaded since the hour began (the first load: every row): keep the hour's.
  AND TO_CHAR(created_time, 'yyyymmddhh') = CONCAT('${bizdate}', '${hh}')
GROUP BY page_name;
