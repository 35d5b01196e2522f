-- Looked up once per ballot: a member's contacts on the current roster (for the notice of the
-- ballot recorded in their name) and the proxies the voter holds. Without these, each ballot
-- read every unit of a 100,000-unit roster.
CREATE INDEX units_owner ON units (roster_version_id, owner_id);
CREATE INDEX proxies_holder ON proxies (assembly_id, holder);
