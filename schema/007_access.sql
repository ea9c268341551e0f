-- Access an admin manages: an account can be disabled (its sessions and tokens end, it cannot
-- sign in) and enabled again; events it shares stay with their other organisers.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- Every login of an account is listed on its account page (where and with what it signed in)
-- and can be ended there.
ALTER TABLE login_sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE login_sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';

-- "Forgot password": a one-time link, valid one hour; only a hash of its code is kept.
CREATE TABLE password_resets (
  code_hash  BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
) WITHOUT ROWID;
CREATE INDEX password_resets_user ON password_resets(user_id);
