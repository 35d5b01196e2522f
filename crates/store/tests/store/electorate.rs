use gongjue_store::StoreError;
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::electorate::{Scope, Stairwell};

use crate::fixtures::{assembly, assert_conflict, import, lakeside, motion, open, unit};
use crate::harness::TestDb;
use crate::on_both_backends;

fn each_item_freezes_the_units_of_its_scope(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &lakeside());
    let a = assembly(
        &db.store,
        &estate.id,
        true,
        vec![
            motion("全体", Scope::Estate),
            motion(
                "南区",
                Scope::Zones {
                    zones: vec!["south".into()],
                },
            ),
            motion(
                "1号楼和2号楼",
                Scope::Buildings {
                    buildings: vec!["1".into(), "2".into()],
                },
            ),
            motion(
                "3号楼2单元电梯",
                Scope::Stairwells {
                    stairwells: vec![Stairwell {
                        building: "3".into(),
                        stairwell: "2".into(),
                    }],
                },
            ),
        ],
    );
    for item in &a.item_ids {
        assert!(
            db.store
                .electorate(item)
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty(),
            "nothing frozen before opening"
        );
    }
    open(&db.store, &a);
    let sizes: Vec<(usize, i64)> = a
        .item_ids
        .iter()
        .map(|item| {
            let units = db.store.electorate(item).unwrap_or_else(|e| panic!("{e}"));
            (units.len(), units.iter().map(|u| u.area_cents).sum())
        })
        .collect();
    assert_eq!(sizes, [(8, 66_950), (4, 27_000), (4, 39_950), (2, 12_000)]);
    let stairwell = db
        .store
        .electorate(a.item_ids.get(3).map_or("", String::as_str))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        stairwell.iter().all(|u| u.voter == "P7"),
        "one owner of two units"
    );
    let item = db
        .store
        .item(a.item_ids.first().map_or("", String::as_str))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(item.state, "open");
    assert!(item.electorate_frozen_at.is_some());
}

fn a_roster_change_after_opening_does_not_move_the_electorate(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &lakeside());
    let a = assembly(
        &db.store,
        &estate.id,
        true,
        vec![motion("全体", Scope::Estate)],
    );
    open(&db.store, &a);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    let before = db.store.electorate(&item).unwrap_or_else(|e| panic!("{e}"));
    let mut sold = lakeside();
    for u in &mut sold.units {
        u.owner_id = format!("new-{}", u.owner_id);
    }
    sold.units.push(unit("north", "9", "1", "101", 5000, "P99"));
    import(&db.store, &estate.id, &sold);
    assert_eq!(
        db.store.electorate(&item).unwrap_or_else(|e| panic!("{e}")),
        before
    );
}

fn items_are_added_only_to_drafts_and_states_move_forward(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &lakeside());
    let a = assembly(
        &db.store,
        &estate.id,
        true,
        vec![motion("全体", Scope::Estate)],
    );
    assert_conflict(
        db.store
            .transition_assembly(&a.assembly_id, AssemblyState::Open, "s"),
    );
    db.store
        .transition_assembly(&a.assembly_id, AssemblyState::Announced, "s")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_conflict(
        db.store
            .add_item(&a.assembly_id, motion("迟到", Scope::Estate), "s"),
    );
    db.store
        .transition_assembly(&a.assembly_id, AssemblyState::Open, "s")
        .unwrap_or_else(|e| panic!("{e}"));
    let closed = db
        .store
        .transition_assembly(&a.assembly_id, AssemblyState::Closed, "s")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(closed.state, "closed");
    assert_eq!(
        db.store
            .items(&a.assembly_id)
            .ok()
            .and_then(|i| i.first().map(|i| i.state.clone()))
            .as_deref(),
        Some("closed")
    );
    assert_conflict(
        db.store
            .transition_assembly(&a.assembly_id, AssemblyState::Open, "s"),
    );
}

fn an_empty_scope_cannot_open(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &lakeside());
    let a = assembly(
        &db.store,
        &estate.id,
        true,
        vec![
            motion("全体", Scope::Estate),
            motion(
                "不存在的楼",
                Scope::Buildings {
                    buildings: vec!["99".into()],
                },
            ),
        ],
    );
    db.store
        .transition_assembly(&a.assembly_id, AssemblyState::Announced, "s")
        .unwrap_or_else(|e| panic!("{e}"));
    let result = db
        .store
        .transition_assembly(&a.assembly_id, AssemblyState::Open, "s");
    assert!(matches!(result, Err(StoreError::Invalid(_))), "{result:?}");
    // All-or-nothing: the first item's electorate was rolled back with the rest.
    let first = a.item_ids.first().cloned().unwrap_or_default();
    assert!(
        db.store
            .electorate(&first)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    assert_eq!(
        db.store
            .assembly(&a.assembly_id)
            .map(|a| a.state)
            .ok()
            .as_deref(),
        Some("announced")
    );
}

on_both_backends!(
    each_item_freezes_the_units_of_its_scope,
    a_roster_change_after_opening_does_not_move_the_electorate,
    items_are_added_only_to_drafts_and_states_move_forward,
    an_empty_scope_cannot_open,
);
