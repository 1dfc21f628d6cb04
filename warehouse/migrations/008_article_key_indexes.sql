-- 008: images and indicators are found by their article's id: a load replacing a batch of articles
-- deletes their rows by that key, and without an index each delete reads the whole table, which
-- grows with every day loaded (a 20-article batch took twice as long at 64k articles as at 1k).
CREATE INDEX IF NOT EXISTS indicators_article_id ON indicators (article_id);
CREATE INDEX IF NOT EXISTS images_article_id ON images (article_id);
