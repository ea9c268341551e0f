-- Texts in several languages (issue 14). The existing columns hold each text in the event's
-- language (every text written so far stays there: German, the default); `texts` holds the
-- other languages as JSON: {"en": {"title": "…"}, "ar": {…}}.
ALTER TABLE events ADD COLUMN language TEXT NOT NULL DEFAULT 'de';
ALTER TABLE events ADD COLUMN texts TEXT NOT NULL DEFAULT '{}';
ALTER TABLE event_sessions ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE event_sessions ADD COLUMN texts TEXT NOT NULL DEFAULT '{}';
ALTER TABLE questions ADD COLUMN texts TEXT NOT NULL DEFAULT '{}';
-- What organisers write into each kind of mail, per language (JSON: kind -> part -> language).
ALTER TABLE events ADD COLUMN mail_texts TEXT NOT NULL DEFAULT '{}';
