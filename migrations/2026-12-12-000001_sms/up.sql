-- Issue 20: SMS beside e-mail in the one outbox, with proof of delivery, the owners' choice of
-- channel, the estate's decision to pay for SMS, and one-time sign-in codes sent by SMS.

-- An SMS row holds the number (E.164) as recipient, the notice's kind as template name, the
-- template's parameters (a JSON array) and the full text as body_text.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms'));
ALTER TABLE outbox ADD COLUMN sms_params TEXT;
-- The provider's id of the message (Tencent's SerialNo): receipts name it.
ALTER TABLE outbox ADD COLUMN provider_id TEXT;
-- What the provider's receipt said: NULL while none came (unknown).
ALTER TABLE outbox ADD COLUMN delivery TEXT CHECK (delivery IN ('delivered', 'failed'));
ALTER TABLE outbox ADD COLUMN delivered_at TEXT;
ALTER TABLE outbox ADD COLUMN delivery_detail TEXT;
CREATE INDEX outbox_provider_id ON outbox (provider_id);
CREATE INDEX outbox_assembly_voter ON outbox (assembly_id, voter);
CREATE INDEX outbox_estate_channel ON outbox (estate_id, channel, created_at);

-- SMS cost the estate money: notices go by SMS only once the estate decided so.
ALTER TABLE estates ADD COLUMN sms_notices BOOLEAN NOT NULL DEFAULT FALSE;
-- Its budget: SMS per owner and assembly, and per day (Beijing time) for the whole estate.
-- Ballot alerts and sign-in codes are not counted (see crates/store/src/sms.rs).
ALTER TABLE estates ADD COLUMN sms_per_owner BIGINT NOT NULL DEFAULT 6;
ALTER TABLE estates ADD COLUMN sms_per_day BIGINT NOT NULL DEFAULT 3000;

-- An owner's own choice of channel for notices (set by the owner, never by staff).
CREATE TABLE notice_channels (
    estate_id  TEXT NOT NULL REFERENCES estates (id),
    owner_id   TEXT NOT NULL,
    channels   TEXT NOT NULL CHECK (channels IN ('email', 'sms', 'both')),
    set_at     TEXT NOT NULL,
    PRIMARY KEY (estate_id, owner_id)
);

-- One-time sign-in codes sent by SMS; the number and the code are kept as keyed hashes only.
CREATE TABLE sms_sign_in_codes (
    id          TEXT PRIMARY KEY,
    assembly_id TEXT NOT NULL REFERENCES assemblies (id),
    phone_hash  TEXT NOT NULL,
    voter       TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    failures    INTEGER NOT NULL DEFAULT 0,
    used_at     TEXT
);
CREATE INDEX sms_sign_in_codes_phone ON sms_sign_in_codes (assembly_id, phone_hash, created_at);
