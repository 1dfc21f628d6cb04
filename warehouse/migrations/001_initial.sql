-- 001: the warehouse as analysts first see it.
-- Keys are deterministic hashes (of the URL for articles, of article + span for indicators) so that
-- re-running a day produces the same ids and a load can replace rows instead of adding duplicates.

CREATE TABLE runs (
    run_id              VARCHAR PRIMARY KEY,
    flow                VARCHAR NOT NULL,          -- daily_epaper | ingest_urls
    params              VARCHAR,                   -- JSON of the flow parameters
    started_at          TIMESTAMP NOT NULL,
    finished_at         TIMESTAMP,                 -- NULL while running or when the run was killed
    status              VARCHAR NOT NULL,          -- running | ok | partial | failed | aborted (killed)
    pages_fetched       INTEGER DEFAULT 0,
    pages_not_modified  INTEGER DEFAULT 0,
    articles_loaded     INTEGER DEFAULT 0,         -- new or changed articles written
    articles_unchanged  INTEGER DEFAULT 0,         -- seen again with identical content: not rewritten
    images_loaded       INTEGER DEFAULT 0,
    indicators_loaded   INTEGER DEFAULT 0,
    failures            INTEGER DEFAULT 0
);

-- One row per URL ever fetched: the latest outcome and what a conditional GET needs next time.
CREATE TABLE pages (
    url             VARCHAR PRIMARY KEY,
    kind            VARCHAR,                       -- epaper_layout | epaper_article | portal_article
    final_url       VARCHAR,
    status          VARCHAR NOT NULL,              -- ok | not_modified | not_found | disallowed | failed
    http_status     INTEGER,
    encoding        VARCHAR,                       -- utf-8 | gb18030, as detected from the bytes
    sha256          VARCHAR,                       -- raw-archive key of the last good body
    size            BIGINT,
    etag            VARCHAR,
    last_modified   VARCHAR,
    fetched_at      TIMESTAMP,                     -- when the current body was downloaded
    checked_at      TIMESTAMP NOT NULL,            -- last attempt, whatever its outcome
    attempts        INTEGER,
    error           VARCHAR,
    run_id          VARCHAR
);

CREATE TABLE articles (
    article_id      VARCHAR PRIMARY KEY,
    url             VARCHAR NOT NULL UNIQUE,
    title           VARCHAR NOT NULL,
    pre_title       VARCHAR,                       -- 引题
    subtitle        VARCHAR,                       -- 副题
    published_at    TIMESTAMP,                     -- Asia/Shanghai wall time
    published_date  DATE,
    source          VARCHAR,
    authors         VARCHAR[],
    editors         VARCHAR[],
    page            INTEGER,                       -- e-paper 版次
    page_name       VARCHAR,
    template        VARCHAR NOT NULL,
    content_id      VARCHAR,
    paragraph_count INTEGER NOT NULL,
    subheads        VARCHAR[],                     -- 小标题 kept in body_text, listed here too
    body_text       VARCHAR NOT NULL,              -- cleaned paragraphs joined by '\n'; offsets index into it
    content_hash    VARCHAR NOT NULL,              -- what decides whether a re-run rewrites the article
    extractor_version VARCHAR NOT NULL,
    fetched_at      TIMESTAMP,
    loaded_at       TIMESTAMP NOT NULL,
    run_id          VARCHAR NOT NULL
);

CREATE TABLE images (
    article_id  VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    src         VARCHAR NOT NULL,
    caption     VARCHAR,
    credit      VARCHAR,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE indicators (
    indicator_id      VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,            -- body | caption
    image_position    INTEGER,                     -- the caption's image when source = 'caption'
    metric            VARCHAR NOT NULL,
    value             DOUBLE NOT NULL,             -- in the base unit, magnitude (万/亿) applied
    unit              VARCHAR NOT NULL,
    qualifier         VARCHAR NOT NULL,            -- exact | approx | gt | lt
    period            VARCHAR,                     -- 2024, 2025-H1, 2025-Q1-Q3, 2025-09, 2024-M01-M10
    period_start      DATE,
    period_end        DATE,
    region            VARCHAR,
    raw               VARCHAR NOT NULL,            -- the number and unit as printed
    sentence          VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL,            -- span of raw in body_text (or in the caption)
    char_end          INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL
);

-- Pages that did not make it. A row stays open (resolved_at NULL) until a later run loads the URL.
CREATE TABLE failures (
    url             VARCHAR PRIMARY KEY,
    kind            VARCHAR,
    stage           VARCHAR NOT NULL,              -- fetch | parse | extract | load
    reason          VARCHAR NOT NULL,
    http_status     INTEGER,
    attempts        INTEGER,                       -- HTTP attempts in the last try
    failure_count   INTEGER NOT NULL,              -- runs that failed on this URL
    first_failed_at TIMESTAMP NOT NULL,
    last_failed_at  TIMESTAMP NOT NULL,
    resolved_at     TIMESTAMP,
    run_id          VARCHAR
);
