//! Persistence of estates, rosters, decisions and ballots (diesel, SQLite and PostgreSQL).
