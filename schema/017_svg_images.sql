-- The images documents carry may be SVG as well as PNG (librsvg draws them into PDFs).
-- SQLite changes a CHECK only by building the table anew.
CREATE TABLE event_images_new (
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  name     TEXT NOT NULL CHECK (name IN ('signature', 'funder-1', 'funder-2', 'funder-3')),
  type     TEXT NOT NULL CHECK (type IN ('image/png', 'image/svg+xml')),
  bytes    BLOB NOT NULL,
  PRIMARY KEY (event_id, name)
) WITHOUT ROWID;
INSERT INTO event_images_new (event_id, name, type, bytes) SELECT event_id, name, type, bytes FROM event_images;
DROP TABLE event_images;
ALTER TABLE event_images_new RENAME TO event_images;
