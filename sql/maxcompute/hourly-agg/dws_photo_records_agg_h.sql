-- dws_photo_records_agg_h: photos uploaded in one hour. DataWorks node
-- dws_photo_records_agg_h, parameters bizdate=$[yyyymmdd-1/24] hh=$[hh24-1/24]
-- (the hour the hourly DI job loaded at hh:05), scheduled after that load.
-- The hourly partition holds every row changed since the hour began, as the load at hh:05
-- read it (the first load: every row); photos created in the hour count, with their status then.
CREATE TABLE IF NOT EXISTS dws_photo_records_agg_h (
  photos    BIGINT COMMENT 'photos uploaded in the hour',
  uploaders BIGINT COMMENT 'distinct users who uploaded',
  analysed  BIGINT COMMENT 'of those, analysed at the hourly load (status 1)',
  failed    BIGINT COMMENT 'of those, failed (status 2)'
)
COMMENT 'Photos per hour (DWS, hourly)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd', hh STRING COMMENT 'hour of day, 00-23')
LIFECYCLE 90;

INSERT OVERWRITE TABLE dws_photo_records_agg_h PARTITION (ds = '${bizdate}', hh = '${hh}')
SELECT COUNT(DISTINCT id)                              AS photos,
       COUNT(DISTINCT user_id)                         AS uploaders,
       COUNT(DISTINCT IF(status = 1, id, NULL))        AS analysed,
       COUNT(DISTINCT IF(status = 2, id, NULL))        AS failed
FROM ods_photo_records_h
WHERE ds = '${bizdate}' AND hh = '${hh}'
  AND TO_CHAR(created_time, 'yyyymmddhh') = CONCAT('${bizdate}', '${hh}');
