//! Signed exports are stored with their bundle in parts (issue 22): what is read back, part by
//! part, is byte for byte what was stored, whatever characters straddle a part's end; an item
//! keeps its first export; a bundle that does not match its export is refused with nothing kept.

use gongjue_store::exports::{Export, NewExport, PART_BYTES};

use crate::fixtures::open_lakeside;
use crate::harness::TestDb;
use crate::on_both_backends;

fn export_of(estate: &str, item: &str, bundle: &[u8], sha: &str) -> NewExport {
    NewExport {
        export: Export {
            item_id: item.to_owned(),
            estate_id: estate.to_owned(),
            name: format!("gongjue-{item}.json"),
            bundle_sha256: sha.to_owned(),
            jws: "header.claims.signature".into(),
            kid: "k1".into(),
            created_at: "2026-12-08T00:00:00Z".into(),
            bundle_bytes: bundle.len() as i64,
        },
        bundle: Box::new(std::io::Cursor::new(bundle.to_vec())),
    }
}

fn read_back(db: &TestDb, item: &str) -> Vec<String> {
    let mut parts = Vec::new();
    while let Some(part) = db
        .store
        .export_part(item, parts.len() as i32)
        .unwrap_or_else(|e| panic!("{e}"))
    {
        parts.push(part);
    }
    parts
}

fn a_bundle_is_read_back_part_by_part_as_stored(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    // 2.5 MiB of JSON-like text whose three-byte characters fall across the parts' ends.
    let mut text = String::from("{\"x\":\"");
    while text.len() < PART_BYTES * 5 / 2 {
        text.push_str("业主大会 vote 表决 ");
    }
    text.push_str("\"}\n");
    assert!(
        !text.is_char_boundary(PART_BYTES),
        "a character straddles the first part's end"
    );

    let kept = db
        .store
        .save_export(
            export_of(&a.estate_id, &item, text.as_bytes(), "first"),
            "secretary",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept.bundle_bytes, text.len() as i64);
    let parts = read_back(db, &item);
    assert_eq!(parts.len(), 3, "2.5 MiB in parts of 1 MiB");
    assert!(parts.iter().all(|p| p.len() <= PART_BYTES && !p.is_empty()));
    assert_eq!(parts.concat(), text, "byte for byte");

    // An item has one export, ever: a second one is dropped and the first returned.
    let again = db
        .store
        .save_export(
            export_of(&a.estate_id, &item, b"{}\n", "second"),
            "secretary",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.bundle_sha256, "first");
    assert_eq!(read_back(db, &item).concat(), text);
    let exported = db
        .store
        .export(&item)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the export"));
    assert_eq!(exported, kept);
}

fn a_bundle_that_does_not_match_its_export_is_refused_whole(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = a.item_ids.first().cloned().unwrap_or_default();

    let mut short = export_of(&a.estate_id, &item, b"{\"a\":1}\n", "s");
    short.export.bundle_bytes += 1;
    let refused = db.store.save_export(short, "secretary");
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("bytes")),
        "{refused:?}"
    );

    // Not UTF-8 at byte 6 (0xFF starts no UTF-8 character).
    let refused = db.store.save_export(
        export_of(&a.estate_id, &item, b"{\"a\":\"\xff\"}", "g"),
        "secretary",
    );
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("not UTF-8 at byte 6")),
        "{refused:?}"
    );

    assert_eq!(
        db.store.export(&item).unwrap_or_else(|e| panic!("{e}")),
        None
    );
    assert!(read_back(db, &item).is_empty(), "no part kept");
}

/// Exports stored whole in `exports.bundle` before bundles were kept in parts come through the
/// upgrade as one part each, byte for byte, and the downgrade puts the parts back together.
fn exports_stored_whole_before_are_kept_through_the_upgrade(db: &TestDb) {
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

    let a = open_lakeside(&db.store, true);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    let mut text = String::from("{\"x\":\"");
    while text.len() < PART_BYTES * 3 / 2 {
        text.push_str("业委会选举 election ");
    }
    text.push_str("\"}\n");
    db.store
        .save_export(
            export_of(&a.estate_id, &item, text.as_bytes(), "d"),
            "secretary",
        )
        .unwrap_or_else(|e| panic!("{e}"));

    let mut raw = db.raw();
    let reverted = raw
        .revert_last_migration(MIGRATIONS)
        .unwrap_or_else(|e| panic!("revert: {e}"));
    assert_eq!(
        reverted.to_string(),
        "20261214000001",
        "the parts' migration"
    );
    #[derive(diesel::QueryableByName)]
    struct Whole {
        #[diesel(sql_type = diesel::sql_types::Text)]
        bundle: String,
    }
    let whole: Whole =
        diesel::RunQueryDsl::get_result(diesel::sql_query("SELECT bundle FROM exports"), &mut raw)
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        whole.bundle, text,
        "the parts put back together, as older servers keep it"
    );
    raw.run_pending_migrations(MIGRATIONS)
        .unwrap_or_else(|e| panic!("upgrade: {e}"));
    drop(raw);

    let store = db.reopen();
    let export = store
        .export(&item)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the export"));
    assert_eq!(export.bundle_bytes, text.len() as i64, "its size in bytes");
    assert_eq!(read_back(db, &item), vec![text], "one part, as it was");
}

on_both_backends!(
    a_bundle_is_read_back_part_by_part_as_stored,
    exports_stored_whole_before_are_kept_through_the_upgrade,
    a_bundle_that_does_not_match_its_export_is_refused_whole
);
