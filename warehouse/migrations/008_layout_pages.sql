-- 008: every 版面 a run read, so a day can say how many pages the issue had and how many of them
-- were 广告 pages that discovery skipped (their articles are never fetched, so `articles` cannot
-- tell). One row per 版面 whatever host served it: keyed by its source key (epaper-page:DATE:NN),
-- so a mirror and the live site count once. Warehouses loaded before this migration have no rows
-- for their earlier days until those days are run again.
CREATE TABLE layout_pages (
    source_key      VARCHAR PRIMARY KEY,           -- epaper-page:20250903:01
    url             VARCHAR NOT NULL,              -- as last read
    issue_date      DATE,
    page_no         INTEGER,                       -- 版次
    page_name       VARCHAR,                       -- 版名: 要闻, 广告 …
    entries         INTEGER NOT NULL,              -- article links the 版面 lists (本版责编 lines included)
    ad_page         BOOLEAN NOT NULL,              -- a 广告 page: its entries are not fetched
    run_id          VARCHAR NOT NULL,
    loaded_at       TIMESTAMP NOT NULL
);
