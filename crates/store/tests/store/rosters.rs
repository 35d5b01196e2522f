use gongjue_domain::area::Area;
use gongjue_store::StoreError;
use gongjue_store::roster::ChangedField;

use crate::fixtures::{import, lakeside, roster, unit};
use crate::harness::TestDb;
use crate::on_both_backends;

fn a_first_import_stores_every_unit_and_reports_them_added(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let report = import(&db.store, &estate.id, &lakeside());
    assert_eq!(report.roster_version.version, 1);
    assert_eq!(report.roster_version.units_count, 8);
    assert_eq!(report.total_area, Area::from_cents(66_950));
    assert_eq!(report.roster_version.total_area_cents, 66_950);
    assert_eq!(report.changes.added.len(), 8);
    assert!(report.changes.removed.is_empty() && report.changes.changed.is_empty());

    let units = db
        .store
        .current_units(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    let numbers: Vec<&str> = units.iter().map(|u| u.unit_number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "1-1-101", "1-1-102", "1-2-101", "2-1-101", "3-1-101", "3-1-201", "3-2-101", "3-2-102"
        ]
    );
    let first = units.first().unwrap_or_else(|| panic!("units"));
    assert_eq!(
        (first.area_cents, first.owner_id.as_str(), first.floor),
        (8950, "P1", Some(1))
    );
    let contact = db
        .store
        .unit_contact(&first.id)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("contact"));
    assert_eq!(contact.owner_name.as_deref(), Some("业主P1"));
}

fn a_second_import_reports_added_removed_and_changed_units(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &lakeside());
    let mut next = lakeside();
    next.units.retain(|u| u.unit_number() != "2-1-101");
    next.units.push(unit("north", "2", "1", "102", 8000, "P9"));
    if let Some(sold) = next.units.iter_mut().find(|u| u.unit_number() == "1-1-102") {
        sold.owner_id = "P8".into();
    }
    let report = import(&db.store, &estate.id, &next);
    assert_eq!(report.roster_version.version, 2);
    assert_eq!(report.changes.added, ["2-1-102"]);
    assert_eq!(report.changes.removed, ["2-1-101"]);
    let changed: Vec<_> = report
        .changes
        .changed
        .iter()
        .map(|c| (c.unit_number.as_str(), c.fields.clone()))
        .collect();
    assert_eq!(changed, [("1-1-102", vec![ChangedField::OwnerId])]);
    let versions = db
        .store
        .roster_versions(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [1, 2]
    );
    let current = db
        .store
        .current_units(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        current
            .iter()
            .all(|u| u.roster_version_id == report.roster_version.id)
    );
    assert_eq!(
        db.store
            .verify_audit_chain(&estate.id)
            .ok()
            .and_then(|r| r.first_broken),
        None
    );
}

fn a_failing_import_stores_nothing(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    // The last unit breaks a CHECK of the units table, after the version and 700 units went in.
    let mut bad = crate::fixtures::large_roster(700);
    bad.units.push(unit("x", "9", "9", "999", 100, ""));
    let result = db
        .store
        .import_roster(&estate.id, &bad, "bad.csv", b"", "secretary");
    assert!(matches!(result, Err(StoreError::Invalid(_))), "{result:?}");
    assert!(
        db.store
            .roster_versions(&estate.id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    assert!(
        db.store
            .current_units(&estate.id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    let (entries, _) = db
        .store
        .audit_head(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entries, 1, "only the estate's creation is logged");
}

fn duplicate_units_and_unknown_estates_are_refused(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let twice = roster(vec![
        unit("", "1", "1", "101", 100, "P1"),
        unit("", "1", "1", "101", 200, "P2"),
    ]);
    assert!(matches!(
        db.store.import_roster(&estate.id, &twice, "f", b"", "s"),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        db.store.import_roster("nope", &lakeside(), "f", b"", "s"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        db.store
            .import_roster(&estate.id, &roster(vec![]), "f", b"", "s"),
        Err(StoreError::Invalid(_))
    ));
}

fn a_large_roster_imports_in_one_go(db: &TestDb) {
    let estate = db
        .store
        .create_estate("大型小区", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let big = crate::fixtures::large_roster(3762);
    let expected: u64 = big.units.iter().map(|u| u.area.area().cents()).sum();
    let report = import(&db.store, &estate.id, &big);
    assert_eq!(report.roster_version.units_count, 3762);
    assert_eq!(report.total_area.cents(), expected);
    assert_eq!(
        db.store.current_units(&estate.id).map(|u| u.len()).ok(),
        Some(3762)
    );
}

fn concurrent_imports_get_distinct_versions(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::scope(|s| {
        for _ in 0..3 {
            let store = db.store.clone();
            let estate = estate.id.clone();
            s.spawn(move || import(&store, &estate, &lakeside()));
        }
    });
    let versions = db
        .store
        .roster_versions(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        db.store
            .verify_audit_chain(&estate.id)
            .ok()
            .and_then(|r| r.first_broken),
        None
    );
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn property_company_files_import_through_the_store(db: &TestDb) {
    let estate = db
        .store
        .create_estate("电梯小区", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let xlsx = db.store.import_roster_file(
        &estate.id,
        "elevator-export.xlsx",
        &fixture("elevator-export.xlsx"),
        "secretary",
    );
    let xlsx = xlsx.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (xlsx.roster_version.units_count, xlsx.total_area),
        (184, Area::from_cents(1_764_476))
    );
    assert_eq!(
        xlsx.skipped.len(),
        3,
        "title, info and total rows are named: {:?}",
        xlsx.skipped
    );
    // The same estate as CSV: nothing changes between the two versions.
    let csv = db.store.import_roster_file(
        &estate.id,
        "elevator.csv",
        &fixture("elevator.csv"),
        "secretary",
    );
    let csv = csv.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(csv.roster_version.version, 2);
    assert!(csv.changes.is_empty(), "{:?}", csv.changes);
    let gbk = db.store.import_roster_file(
        &estate.id,
        "elevator-zh-gbk.csv",
        &fixture("elevator-zh-gbk.csv"),
        "secretary",
    );
    assert_eq!(gbk.map(|r| r.roster_version.units_count).ok(), Some(184));
    let zoned = db
        .store
        .create_estate("五区小区", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let report =
        db.store
            .import_roster_file(&zoned.id, "zoned.csv", &fixture("zoned.csv"), "secretary");
    assert_eq!(
        report.map(|r| r.roster_version.units_count).ok(),
        Some(3762)
    );
}

fn a_dirty_roster_stores_nothing_and_names_every_error(db: &TestDb) {
    let estate = db
        .store
        .create_estate("脏名册", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let result = db.store.import_roster_file(
        &estate.id,
        "dirty-roster.csv",
        &fixture("dirty-roster.csv"),
        "secretary",
    );
    let Err(StoreError::RosterInvalid(errors)) = result else {
        panic!("expected roster errors, got {result:?}")
    };
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 8, 11, 13], "{errors:?}");
    assert!(
        db.store
            .roster_versions(&estate.id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    assert!(
        db.store
            .current_units(&estate.id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
}

/// An import that never finished (the server was killed while it stored the units) leaves a
/// pending version: nothing reads it, the next import is numbered as if it were not there, and
/// once it is old enough to be abandoned the next import erases it, contacts included.
fn an_abandoned_import_is_invisible_and_erased_by_the_next(db: &TestDb) {
    use diesel::RunQueryDsl;
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let first = import(&db.store, &estate.id, &lakeside());
    let mut conn = db.store.connection().unwrap_or_else(|e| panic!("{e}"));
    let count = |conn: &mut gongjue_store::AnyConnection, sql: &str| -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(sql)
            .get_result::<N>(conn)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .n
    };
    for (id, at) in [
        ("stale", "2020-01-01T00:00:00.000000Z"),
        ("fresh", "2999-01-01T00:00:00.000000Z"),
    ] {
        diesel::sql_query(format!(
            "INSERT INTO roster_versions (id, estate_id, version, imported_at, source_name, source_sha256, units_count, total_area_cents, pending) \
             VALUES ('{id}', '{}', {}, '{at}', 'half.csv', 'x', 1, 100, TRUE)",
            estate.id,
            if id == "stale" { 4_611_686_018_427_387_904_i64 } else { 4_611_686_018_427_387_905 }
        ))
        .execute(&mut *conn)
        .unwrap_or_else(|e| panic!("{e}"));
        diesel::sql_query(format!(
            "INSERT INTO units (id, roster_version_id, unit_number, zone, building, stairwell, room, area_cents, owner_id, source_line) \
             VALUES ('{id}-u', '{id}', '9-1-101', '', '9', '1', '101', 100, 'P9', 2)"
        ))
        .execute(&mut *conn)
        .unwrap_or_else(|e| panic!("{e}"));
        diesel::sql_query(format!(
            "INSERT INTO unit_contacts (unit_id, owner_name, phone) VALUES ('{id}-u', '半途', '13800000000')"
        ))
        .execute(&mut *conn)
        .unwrap_or_else(|e| panic!("{e}"));
    }
    drop(conn);
    let listed = |db: &TestDb| {
        db.store
            .roster_versions(&estate.id)
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(|v| v.version)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(db), [1]);
    let current = db
        .store
        .current_units(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        current
            .iter()
            .all(|u| u.roster_version_id == first.roster_version.id)
    );

    let second = import(&db.store, &estate.id, &lakeside());
    assert_eq!(second.roster_version.version, 2);
    assert_eq!(listed(db), [1, 2]);
    let mut conn = db.store.connection().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM roster_versions WHERE id = 'stale'"
        ),
        0,
        "the abandoned import is erased"
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM units WHERE id = 'stale-u'"
        ),
        0
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM unit_contacts WHERE unit_id = 'stale-u'"
        ),
        0
    );
    // One that may still be under way is left to its import.
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM unit_contacts WHERE unit_id = 'fresh-u'"
        ),
        1
    );
    // The first version's contacts went when the second became current; the second keeps its own.
    let contacts_of = |conn: &mut gongjue_store::AnyConnection, version: &str| {
        count(
            conn,
            &format!(
                "SELECT COUNT(*) AS n FROM unit_contacts JOIN units ON units.id = unit_contacts.unit_id \
                 WHERE units.roster_version_id = '{version}'"
            ),
        )
    };
    assert_eq!(contacts_of(&mut conn, &first.roster_version.id), 0);
    assert!(contacts_of(&mut conn, &second.roster_version.id) > 0);
}

on_both_backends!(
    an_abandoned_import_is_invisible_and_erased_by_the_next,
    concurrent_imports_get_distinct_versions,
    a_first_import_stores_every_unit_and_reports_them_added,
    a_second_import_reports_added_removed_and_changed_units,
    a_failing_import_stores_nothing,
    duplicate_units_and_unknown_estates_are_refused,
    a_large_roster_imports_in_one_go,
    property_company_files_import_through_the_store,
    a_dirty_roster_stores_nothing_and_names_every_error,
);
