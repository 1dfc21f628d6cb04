-- 006: what the next runs do about a failure, decided where the failure happened (etl.models.Retry)
-- instead of being read back from its reason text:
--   transient  may pass by itself: retried by the following runs, 10 runs in all
--   gone       the server answered 404/410: it may still appear, 3 runs in all
--   never      a page on a host nobody named: listed by `etl failures`, never retried by itself
-- Rows stored before this migration get the meaning the loader used to derive from them: a reason
-- "host not allowed: <the URL's own host>" is never, an HTTP status 404/410 is gone.
ALTER TABLE failures ADD COLUMN retry VARCHAR DEFAULT 'transient';
UPDATE failures SET retry = CASE
    WHEN reason = 'host not allowed: ' || rtrim(trim(lower(regexp_extract(
        url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^\]/?#]*\]|[^/?#:]*)', 1)), '[]'), '.')
        THEN 'never'
    WHEN http_status IN (404, 410) THEN 'gone'
    ELSE 'transient'
END;
