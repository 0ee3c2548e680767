-- ads_photos_d: photos uploaded on one business date, T+1. DataWorks node
-- ads_photos_d, parameter bizdate=$bizdate. ods_photo_records_d is loaded
-- incrementally by updated_time, every row changed since bizdate began
-- (lib/dataworks/di-job-spec.ts incrementalWhere): a photo uploaded on bizdate is in
-- its partition with its status at the load, even when analysed after midnight.
-- Reading only that partition keeps a rerun or backfill at the numbers of the load;
-- the latest image per id counts once, should a partition hold two.
CREATE TABLE IF NOT EXISTS ads_photos_d (
  photos    BIGINT COMMENT 'photos uploaded that day',
  uploaders BIGINT COMMENT 'distinct users who uploaded',
  analysed  BIGINT COMMENT 'of those, analysed (status 1) at the load',
  failed    BIGINT COMMENT 'of those, failed (status 2) at the load',
  avg_score DOUBLE COMMENT 'mean composition score of the analysed photos, 0-100'
)
COMMENT 'Photos per day (ADS, T+1)'
PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd')
LIFECYCLE 1095;

INSERT OVERWRITE TABLE ads_photos_d PARTITION (ds = '${bizdate}')
SELECT COUNT(*)                                        AS photos,
       COUNT(DISTINCT user_id)                         AS uploaders,
       COUNT(IF(status = 1, 1, NULL))                  AS analysed,
       COUNT(IF(status = 2, 1, NULL))                  AS failed,
       ROUND(AVG(IF(status = 1, CAST(score AS DOUBLE), NULL)), 2) AS avg_score
FROM (
  SELECT id, user_id, status, score,
         ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_time DESC) AS rn
  FROM ods_photo_records_d
  WHERE ds = '${bizdate}'
    AND TO_CHAR(created_time, 'yyyymmdd') = '${bizdate}'
) latest
WHERE rn = 1;
