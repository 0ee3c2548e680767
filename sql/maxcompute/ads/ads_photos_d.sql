-- ads_photos_d: photos uploaded on one business date, T+1. DataWorks node
-- ads_photos_d, parameter bizdate=$bizdate. ods_photo_records_d is loaded
-- incrementally by updated_time, so a photo can appear in several partitions
-- (upload, then analysis): the latest image per id counts once.
CREATE TABLE IF NOT EXISTS ads_photos_d (
  photos    BIGINT COMMENT 'photos uploaded that day',
  uploaders BIGINT COMMENT 'distinct users who uploaded',
  analysed  BIGINT COMMENT 'of those, analysed (status 1)',
  failed    BIGINT COMMENT 'of those, failed (status 2)',
  avg_score DOUBLE COMMENT 'mean composition score of the analysed photos, 0-100'
)
COMMENT 'Photos per day (ADS, T+1)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd')
LIFECYCLE 1095;

INSERT OVERWRITE TABLE ads_photos_d PARTITION (ds = '${bizdate}')
SELECT COUNT(*)                                        AS photos,
       COUNT(DISTINCT user_id)                         AS uploaders,
       SUM(IF(status = 1, 1, 0))                       AS analysed,
       SUM(IF(status = 2, 1, 0))                       AS failed,
       ROUND(AVG(IF(status = 1, CAST(score AS DOUBLE), NULL)), 2) AS avg_score
FROM (
  SELECT id, user_id, status, score,
         ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_time DESC) AS rn
  FROM ods_photo_records_d
  WHERE ds >= '${bizdate}'
    AND TO_CHAR(created_time, 'yyyymmdd') = '${bizdate}'
) latest
WHERE rn = 1;
