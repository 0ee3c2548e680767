-- The assumed MySQL schema of the source database `photo_assistant`.
-- Columns are inferred from the planning document's queries and DDL
-- (../shared/seed/dataworks-realtime-sync-plan.zh.md): users has the seed's
-- realtime columns; page_views, photo_records and the rest carry what the
-- seed's DAU, photo and funnel queries read (user_id, page_name, created_time).
-- Mutable tables carry `updated_time` (ON UPDATE CURRENT_TIMESTAMP) so the
-- batch layers can load them incrementally; append-only tables use created_time.
-- `sql/mysql/photo_assistant.schema.json` is this file as the stack reads it
-- (tests load this file into MariaDB and check the two agree).

CREATE TABLE users (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  user_id VARCHAR(64) NOT NULL COMMENT 'public user id (openid or app uid)',
  nickname VARCHAR(64) DEFAULT NULL COMMENT 'display name',
  source VARCHAR(32) NOT NULL DEFAULT 'web' COMMENT 'sign-up channel: web, miniprogram, app',
  total_quota INT NOT NULL DEFAULT 0 COMMENT 'photo analyses allowed',
  used_quota INT NOT NULL DEFAULT 0 COMMENT 'photo analyses used',
  register_time DATETIME NOT NULL COMMENT 'sign-up time',
  last_login_time DATETIME DEFAULT NULL COMMENT 'most recent login',
  updated_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT 'row change time (incremental loads)',
  PRIMARY KEY (id),
  UNIQUE KEY uk_users_user_id (user_id),
  KEY idx_users_updated_time (updated_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='registered users';

CREATE TABLE photo_records (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  user_id VARCHAR(64) NOT NULL COMMENT 'owner',
  photo_url VARCHAR(512) NOT NULL COMMENT 'object storage URL',
  scene VARCHAR(32) DEFAULT NULL COMMENT 'detected scene',
  score DECIMAL(5,2) DEFAULT NULL COMMENT 'composition score 0-100',
  status TINYINT NOT NULL DEFAULT 0 COMMENT '0 uploaded, 1 analysed, 2 failed',
  created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'upload time',
  updated_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT 'row change time (incremental loads)',
  PRIMARY KEY (id),
  KEY idx_photo_records_user (user_id),
  KEY idx_photo_records_updated_time (updated_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='photos uploaded for analysis';

CREATE TABLE guide_usage (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  user_id VARCHAR(64) NOT NULL COMMENT 'user',
  guide_id VARCHAR(64) NOT NULL COMMENT 'shooting guide id',
  guide_name VARCHAR(128) DEFAULT NULL COMMENT 'shooting guide title',
  duration_seconds INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'time spent in the guide',
  created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'usage time',
  PRIMARY KEY (id),
  KEY idx_guide_usage_created_time (created_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='shooting guide usage';

CREATE TABLE page_views (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  user_id VARCHAR(64) NOT NULL COMMENT 'viewer',
  page_name VARCHAR(64) NOT NULL COMMENT 'page (funnel step)',
  referrer VARCHAR(255) DEFAULT NULL COMMENT 'previous page',
  stay_ms INT UNSIGNED DEFAULT NULL COMMENT 'time on page in milliseconds',
  created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'view time',
  PRIMARY KEY (id),
  KEY idx_page_views_created_time (created_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='page views (DAU, online users, funnel)';

CREATE TABLE feedback (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  user_id VARCHAR(64) NOT NULL COMMENT 'author',
  content TEXT NOT NULL COMMENT 'feedback text',
  rating TINYINT UNSIGNED DEFAULT NULL COMMENT '1-5 stars',
  status TINYINT NOT NULL DEFAULT 0 COMMENT '0 open, 1 answered, 2 closed',
  created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'submission time',
  updated_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT 'row change time (incremental loads)',
  PRIMARY KEY (id),
  KEY idx_feedback_updated_time (updated_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='user feedback';

CREATE TABLE advice_views (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  user_id VARCHAR(64) NOT NULL COMMENT 'viewer',
  advice_id VARCHAR(64) NOT NULL COMMENT 'advice shown',
  advice_type VARCHAR(32) DEFAULT NULL COMMENT 'composition, lighting, pose...',
  photo_id BIGINT DEFAULT NULL COMMENT 'photo_records.id the advice is for',
  created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'view time',
  PRIMARY KEY (id),
  KEY idx_advice_views_created_time (created_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='advice cards viewed';

CREATE TABLE user_events (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  user_id VARCHAR(64) NOT NULL COMMENT 'user',
  event_name VARCHAR(64) NOT NULL COMMENT 'event, e.g. photo_upload, share',
  page_name VARCHAR(64) DEFAULT NULL COMMENT 'page the event happened on',
  event_params JSON DEFAULT NULL COMMENT 'event properties',
  client_time DATETIME(3) DEFAULT NULL COMMENT 'client clock',
  created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'server receive time',
  PRIMARY KEY (id),
  KEY idx_user_events_created_time (created_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='server-side user events';
