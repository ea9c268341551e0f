-- Webhooks of an organisation (../015_organisation_webhooks.sql).
ALTER TABLE webhooks ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE webhooks ADD COLUMN organisation_id bigint REFERENCES organisations(id) ON DELETE CASCADE;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_one_owner CHECK ((event_id IS NULL) <> (organisation_id IS NULL));
CREATE INDEX webhooks_organisation ON webhooks(organisation_id);
