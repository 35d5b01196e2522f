-- Issue 19: consultation rounds. A consultation may be followed by its next round, a new item
-- (in a later assembly) linked to the previous one; each round is counted and exported on its
-- own, and its export names the previous round's export hash. One next round per item.
CREATE TABLE item_rounds (
    item_id TEXT PRIMARY KEY REFERENCES items (id),
    previous_item_id TEXT NOT NULL UNIQUE REFERENCES items (id),
    round INTEGER NOT NULL CHECK (round >= 2)
);
