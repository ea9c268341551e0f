-- Access an admin manages: an account can be disabled (its sessions and tokens end, it cannot
-- sign in) and enabled again; events it shares stay with their other organisers.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
