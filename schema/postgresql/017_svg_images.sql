-- The images documents carry may be SVG as well as PNG (librsvg draws them into PDFs).
ALTER TABLE event_images DROP CONSTRAINT event_images_type_check;
ALTER TABLE event_images ADD CONSTRAINT event_images_type_check CHECK (type IN ('image/png', 'image/svg+xml'));
