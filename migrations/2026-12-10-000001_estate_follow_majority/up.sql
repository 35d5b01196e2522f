-- 从众 (issue 19): whether the estate's rules of procedure let a motion offer the choice `follow`
-- ("I take part and join the side the other participating owners decide"), and the clause that
-- says so. Audited when set; each motion records whether it offers the choice.
ALTER TABLE estates ADD COLUMN follow_majority BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE estates ADD COLUMN follow_majority_basis TEXT;
