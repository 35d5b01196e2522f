//! Cross-checks the ballot tables against the audit log. The chain proves the log was not
//! edited; this proves the ballots still say what the log recorded when they were cast
//! (each `ballot.cast` entry carries the version's receipt hash).

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::AuditEntry;
use crate::ballots::{BallotVersion, CurrentBallot};
use crate::schema::{assemblies, audit_log, ballot_versions, ballots, items};
use crate::{Store, StoreError};

/// One ballot whose stored rows disagree with the audit log or with each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotMismatch {
    /// The ballot version (or audit subject) concerned.
    pub ballot: String,
    pub problem: String,
}

fn receipt_in(entry: &AuditEntry) -> Option<String> {
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).ok()?;
    detail.get("receipt")?.as_str().map(str::to_owned)
}

impl Store {
    /// Every ballot of the estate checked against its audit entries; empty if all agree.
    pub fn verify_ballots(&self, estate_id: &str) -> Result<Vec<BallotMismatch>, StoreError> {
        let (versions, currents, entries) = self.read(|conn| {
            let item_ids: Vec<String> = items::table
                .inner_join(assemblies::table)
                .filter(assemblies::estate_id.eq(estate_id))
                .select(items::id)
                .load(conn)?;
            let versions: Vec<BallotVersion> = ballot_versions::table
                .filter(ballot_versions::item_id.eq_any(&item_ids))
                .select(BallotVersion::as_select())
                .load(conn)?;
            let currents: Vec<CurrentBallot> = ballots::table
                .filter(ballots::item_id.eq_any(&item_ids))
                .select(CurrentBallot::as_select())
                .load(conn)?;
            let entries: Vec<AuditEntry> = audit_log::table
                .filter(audit_log::chain.eq(estate_id))
                .filter(audit_log::action.eq_any(["ballot.cast", "ballot.confirmed"]))
                .order(audit_log::seq.asc())
                .select(AuditEntry::as_select())
                .load(conn)?;
            Ok((versions, currents, entries))
        })?;
        let mut problems = Vec::new();
        let mut problem = |ballot: &str, text: &str| {
            problems.push(BallotMismatch {
                ballot: ballot.to_owned(),
                problem: text.to_owned(),
            })
        };
        let mut cast_entries: BTreeMap<&str, &AuditEntry> = BTreeMap::new();
        let mut confirm_entries: BTreeMap<&str, &AuditEntry> = BTreeMap::new();
        for entry in &entries {
            let map = if entry.action == "ballot.cast" {
                &mut cast_entries
            } else {
                &mut confirm_entries
            };
            if map.insert(entry.subject.as_str(), entry).is_some() {
                problem(
                    &entry.subject,
                    &format!("more than one {} entry", entry.action),
                );
            }
        }
        let by_id: BTreeMap<&str, &BallotVersion> =
            versions.iter().map(|v| (v.id.as_str(), v)).collect();
        for v in &versions {
            match cast_entries.get(v.id.as_str()) {
                None => problem(&v.id, "no audit entry records this ballot"),
                Some(entry) if receipt_in(entry).as_deref() != Some(v.receipt().as_str()) => {
                    problem(&v.id, "the ballot differs from what the audit log recorded")
                }
                Some(_) => {}
            }
            match (confirm_entries.get(v.id.as_str()), &v.confirmed_by) {
                (None, None) => {}
                (Some(entry), Some(by)) if &entry.actor == by => {}
                _ => problem(&v.id, "the paper confirmation differs from the audit log"),
            }
        }
        for subject in cast_entries.keys().chain(confirm_entries.keys()) {
            if !by_id.contains_key(subject) {
                problem(subject, "the audit log records a ballot that is missing");
            }
        }
        let mut latest: BTreeMap<(&str, &str), &BallotVersion> = BTreeMap::new();
        for v in &versions {
            let slot = latest
                .entry((v.item_id.as_str(), v.voter.as_str()))
                .or_insert(v);
            if v.seq > slot.seq {
                *slot = v;
            }
        }
        for current in &currents {
            match by_id.get(current.version_id.as_str()) {
                Some(v) if CurrentBallot::from(*v) == *current => {}
                _ => problem(
                    &current.version_id,
                    "the current ballot differs from its recorded version",
                ),
            }
            let newest = latest
                .get(&(current.item_id.as_str(), current.voter.as_str()))
                .map(|v| v.id.as_str());
            if newest != Some(current.version_id.as_str()) {
                problem(
                    &current.version_id,
                    "the current ballot is not the voter's latest version",
                );
            }
        }
        if latest.len() != currents.len() {
            problem(estate_id, "a voter's ballot history has no current ballot");
        }
        Ok(problems)
    }
}
