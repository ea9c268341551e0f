-- Accounts disabled and enabled, logins listed, password resets (../007_access.sql).
ALTER TABLE users ADD COLUMN disabled_at text;

ALTER TABLE login_sessions ADD COLUMN user_agent text NOT NULL DEFAULT '';
ALTER TABLE login_sessions ADD COLUMN address text NOT NULL DEFAULT '';

CREATE TABLE password_resets (
  code_hash  bytea PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at text NOT NULL,
  expires_at text NOT NULL,
  used_at    text
);
CREATE INDEX password_resets_user ON password_resets(user_id);
