//! What a re-import changes: units added, removed and changed between two roster versions,
//! keyed by unit number. Contact data is not compared: it never moves a count.

use std::collections::BTreeMap;

use gongjue_domain::area::UnitArea;

use super::RosterUnit;

/// A voting-relevant attribute of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangedField {
    Area,
    OwnerId,
    Zone,
    Floor,
}

impl ChangedField {
    /// The field's name as reports show it (the roster's English column names).
    pub fn name(self) -> &'static str {
        match self {
            ChangedField::Area => "area",
            ChangedField::OwnerId => "owner_id",
            ChangedField::Zone => "zone",
            ChangedField::Floor => "floor",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitChange {
    pub unit_number: String,
    /// In the order of [`ChangedField`]; never empty.
    pub fields: Vec<ChangedField>,
}

/// What changed, by unit number: a report lists numbers, and keeping the units themselves would
/// hold a 200,000-unit roster twice more (issue 22).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterDiff {
    /// In the new roster's order.
    pub added: Vec<String>,
    /// In unit-number order.
    pub removed: Vec<String>,
    /// In the new roster's order.
    pub changed: Vec<UnitChange>,
}

impl RosterDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// What a re-import compares of a unit of the version before: the attributes that move a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFacts {
    pub area: UnitArea,
    pub owner_id: String,
    pub zone: String,
    pub floor: Option<i32>,
}

impl UnitFacts {
    pub fn of(unit: &RosterUnit) -> UnitFacts {
        UnitFacts {
            area: unit.area,
            owner_id: unit.owner_id.clone(),
            zone: unit.zone.clone(),
            floor: unit.floor,
        }
    }
}

/// Compares two rosters. Unit numbers are unique in a checked roster; if `old` gives one twice
/// anyway, its first occurrence counts (`new` must not, as for [`diff_against`]).
pub fn diff(old: &[RosterUnit], new: &[RosterUnit]) -> RosterDiff {
    let mut before = BTreeMap::new();
    for unit in old {
        before
            .entry(unit.unit_number())
            .or_insert_with(|| UnitFacts::of(unit));
    }
    diff_against(before, new)
}

/// Compares a roster with the version before it, given as each unit number's facts. The new
/// roster's unit numbers must be unique (the import refuses a file that repeats one).
pub fn diff_against(mut before: BTreeMap<String, UnitFacts>, new: &[RosterUnit]) -> RosterDiff {
    let mut result = RosterDiff::default();
    for unit in new {
        let unit_number = unit.unit_number();
        match before.remove(&unit_number) {
            None => result.added.push(unit_number),
            Some(old) => {
                let fields = changed_fields(&old, unit);
                if !fields.is_empty() {
                    result.changed.push(UnitChange {
                        unit_number,
                        fields,
                    });
                }
            }
        }
    }
    result.removed = before.into_keys().collect();
    result
}

fn changed_fields(old: &UnitFacts, new: &RosterUnit) -> Vec<ChangedField> {
    [
        (ChangedField::Area, old.area != new.area),
        (ChangedField::OwnerId, old.owner_id != new.owner_id),
        (ChangedField::Zone, old.zone != new.zone),
        (ChangedField::Floor, old.floor != new.floor),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::roster::Contact;

    fn unit(room: &str, area: &str, owner: &str) -> RosterUnit {
        RosterUnit {
            line: 2,
            zone: String::new(),
            building: "1".into(),
            stairwell: "1".into(),
            room: room.into(),
            floor: Some(1),
            area: UnitArea::parse(area).unwrap(),
            owner_id: owner.into(),
            contact: Contact::default(),
        }
    }

    #[test]
    fn lists_added_removed_and_changed_units() {
        let old = vec![
            unit("101", "89.50", "P1"),
            unit("102", "90.00", "P2"),
            unit("103", "70.00", "P3"),
        ];
        let mut moved = unit("103", "70.00", "P3");
        moved.line = 9;
        moved.contact.phone = Some("13900000000".into());
        let mut rezoned = unit("102", "90.01", "P9");
        rezoned.zone = "north".into();
        let new = vec![rezoned, moved, unit("104", "60.00", "P4")];

        let diff = diff(&old, &new);
        assert_eq!(diff.added, vec!["1-1-104".to_owned()]);
        assert_eq!(diff.removed, vec!["1-1-101".to_owned()]);
        // Line and contact changes are not changes of the unit.
        assert_eq!(
            diff.changed,
            vec![UnitChange {
                unit_number: "1-1-102".into(),
                fields: vec![
                    ChangedField::Area,
                    ChangedField::OwnerId,
                    ChangedField::Zone
                ],
            }]
        );
    }

    #[test]
    fn a_roster_against_itself_is_no_change() {
        let units = vec![unit("101", "89.50", "P1"), unit("102", "90.00", "P2")];
        assert!(diff(&units, &units).is_empty());
        assert_eq!(diff(&[], &units).added.len(), 2);
        assert_eq!(diff(&units, &[]).removed.len(), 2);
    }
}
