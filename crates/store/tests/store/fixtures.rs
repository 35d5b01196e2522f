//! Small builders so tests read as scenarios: an estate, a roster, an open assembly.

use gongjue_domain::area::{Area, UnitArea};
use gongjue_store::assemblies::{AssemblyState, ItemKind, NewAssembly, NewItem};
use gongjue_store::ballots::{CastBallot, CastOutcome, Channel};
use gongjue_store::electorate::Scope;
use gongjue_store::roster::{Contact, ParsedRoster, RosterUnit};
use gongjue_store::{Store, StoreError};

pub fn unit(
    zone: &str,
    building: &str,
    stairwell: &str,
    room: &str,
    cents: u64,
    owner: &str,
) -> RosterUnit {
    RosterUnit {
        line: 0,
        zone: zone.into(),
        building: building.into(),
        stairwell: stairwell.into(),
        room: room.into(),
        floor: room.get(..1).and_then(|f| f.parse().ok()),
        area: UnitArea::new(Area::from_cents(cents)).unwrap_or_else(|e| panic!("{e}")),
        owner_id: owner.into(),
        contact: Contact {
            owner_name: Some(format!("业主{owner}")),
            phone: Some("13800000000".into()),
            email: None,
        },
    }
}

pub fn roster(units: Vec<RosterUnit>) -> ParsedRoster {
    let units = units.into_iter().enumerate().map(|(i, mut u)| {
        u.line = i + 2;
        u
    });
    ParsedRoster {
        units: units.collect(),
        skipped: Vec::new(),
        warnings: Vec::new(),
    }
}

/// Two zones, three buildings, eight units; owner P7 holds two units.
pub fn lakeside() -> ParsedRoster {
    roster(vec![
        unit("north", "1", "1", "101", 8950, "P1"),
        unit("north", "1", "1", "102", 9000, "P2"),
        unit("north", "1", "2", "101", 10000, "P3"),
        unit("north", "2", "1", "101", 12000, "P4"),
        unit("south", "3", "1", "101", 7500, "P5"),
        unit("south", "3", "1", "201", 7500, "P6"),
        unit("south", "3", "2", "101", 6000, "P7"),
        unit("south", "3", "2", "102", 6000, "P7"),
    ])
}

/// `count` units in 10-storey stairwells of 4 rooms, one owner each.
pub fn large_roster(count: usize) -> ParsedRoster {
    let units = (0..count)
        .map(|i| {
            let building = (i / 80 + 1).to_string();
            let stairwell = (i / 40 % 2 + 1).to_string();
            let room = format!("{}{:02}", i / 4 % 10 + 1, i % 4 + 1);
            let cents = 6000 + (i as u64 * 37) % 9000;
            unit(
                if i % 2 == 0 { "east" } else { "west" },
                &building,
                &stairwell,
                &room,
                cents,
                &format!("P{i:05}"),
            )
        })
        .collect();
    roster(units)
}

pub fn import(
    store: &Store,
    estate_id: &str,
    roster: &ParsedRoster,
) -> gongjue_store::rosters::ImportReport {
    store
        .import_roster(estate_id, roster, "roster.csv", b"test bytes", "secretary")
        .unwrap_or_else(|e| panic!("import: {e}"))
}

pub struct OpenAssembly {
    pub estate_id: String,
    pub assembly_id: String,
    pub item_ids: Vec<String>,
}

pub fn motion(title: &str, scope: Scope) -> NewItem {
    NewItem {
        kind: ItemKind::Motion,
        title: title.into(),
        body: "正文".into(),
        matter: Some(4),
        rule: serde_json::json!("ordinary"),
        scope,
        definition: serde_json::json!({}),
    }
}

pub fn assembly(
    store: &Store,
    estate_id: &str,
    changeable: bool,
    items: Vec<NewItem>,
) -> OpenAssembly {
    let assembly = store
        .create_assembly(
            NewAssembly {
                estate_id: estate_id.into(),
                title: "2026年第一次业主大会".into(),
                opens_at: "2026-12-01T00:00:00.000000Z".into(),
                closes_at: "2026-12-15T00:00:00.000000Z".into(),
                ballots_changeable: changeable,
                options: serde_json::json!({}),
            },
            "secretary",
        )
        .unwrap_or_else(|e| panic!("create assembly: {e}"));
    let item_ids = items
        .into_iter()
        .map(|item| {
            store
                .add_item(&assembly.id, item, "secretary")
                .unwrap_or_else(|e| panic!("add item: {e}"))
                .id
        })
        .collect();
    OpenAssembly {
        estate_id: estate_id.into(),
        assembly_id: assembly.id,
        item_ids,
    }
}

pub fn open(store: &Store, a: &OpenAssembly) {
    for state in [AssemblyState::Announced, AssemblyState::Open] {
        store
            .transition_assembly(&a.assembly_id, state, "secretary")
            .unwrap_or_else(|e| panic!("{state:?}: {e}"));
    }
}

/// An estate with the lakeside roster and an open assembly with one estate-wide motion.
pub fn open_lakeside(store: &Store, changeable: bool) -> OpenAssembly {
    let estate = store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(store, &estate.id, &lakeside());
    let a = assembly(
        store,
        &estate.id,
        changeable,
        vec![motion("续聘物业", Scope::Estate)],
    );
    open(store, &a);
    a
}

pub fn web(item_id: &str, voter: &str, choice: serde_json::Value, key: &str) -> CastBallot {
    CastBallot {
        item_id: item_id.into(),
        voter: voter.into(),
        channel: Channel::Web,
        choice,
        cast_at: None,
        proxy_id: None,
        entered_by: None,
        idempotency_key: key.into(),
        actor: format!("owner:{voter}"),
    }
}

pub fn cast(store: &Store, ballot: &CastBallot) -> CastOutcome {
    store
        .cast_ballot(ballot)
        .unwrap_or_else(|e| panic!("cast {ballot:?}: {e}"))
}

pub fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::Conflict(_))),
        "expected a conflict, got {result:?}"
    );
}
