//! What a re-import changes: units added, removed and changed between two roster versions,
//! keyed by unit number. Contact data is not compared: it never moves a count.

use std::collections::HashMap;

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
    pub old: RosterUnit,
    pub new: RosterUnit,
    /// In the order of [`ChangedField`]; never empty.
    pub fields: Vec<ChangedField>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterDiff {
    /// In the new roster's order.
    pub added: Vec<RosterUnit>,
    /// In the old roster's order.
    pub removed: Vec<RosterUnit>,
    /// In the new roster's order.
    pub changed: Vec<UnitChange>,
}

impl RosterDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares two rosters. Unit numbers are unique in a checked roster; if one is given twice
/// anyway, its first occurrence counts.
pub fn diff(old: &[RosterUnit], new: &[RosterUnit]) -> RosterDiff {
    let (old_by_number, new_by_number) = (index(old), index(new));
    let mut result = RosterDiff::default();
    for unit in first_occurrences(new) {
        let unit_number = unit.unit_number();
        match old_by_number.get(&unit_number) {
            None => result.added.push(unit.clone()),
            Some(before) => {
                let fields = changed_fields(before, unit);
                if !fields.is_empty() {
                    result.changed.push(UnitChange {
                        unit_number,
                        old: (*before).clone(),
                        new: unit.clone(),
                        fields,
                    });
                }
            }
        }
    }
    for unit in first_occurrences(old) {
        if !new_by_number.contains_key(&unit.unit_number()) {
            result.removed.push(unit.clone());
        }
    }
    result
}

fn index(units: &[RosterUnit]) -> HashMap<String, &RosterUnit> {
    // Inserted last to first, so the first occurrence is the one kept.
    units
        .iter()
        .rev()
        .map(|unit| (unit.unit_number(), unit))
        .collect()
}

fn first_occurrences(units: &[RosterUnit]) -> impl Iterator<Item = &RosterUnit> {
    let mut seen = std::collections::HashSet::new();
    units
        .iter()
        .filter(move |unit| seen.insert(unit.unit_number()))
}

fn changed_fields(old: &RosterUnit, new: &RosterUnit) -> Vec<ChangedField> {
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
    use gongjue_domain::area::UnitArea;

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
        let new = vec![rezoned.clone(), moved, unit("104", "60.00", "P4")];

        let diff = diff(&old, &new);
        assert_eq!(diff.added, vec![unit("104", "60.00", "P4")]);
        assert_eq!(diff.removed, vec![unit("101", "89.50", "P1")]);
        // Line and contact changes are not changes of the unit.
        assert_eq!(
            diff.changed,
            vec![UnitChange {
                unit_number: "1-1-102".into(),
                old: unit("102", "90.00", "P2"),
                new: rezoned,
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
