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

/// One stored record (an item, a frozen electorate, a proxy, a transfer) that disagrees with
/// what the audit log recorded of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordMismatch {
    /// The record's id (an item, a proxy, a transfer).
    pub subject: String,
    pub problem: String,
}

fn detail_of(entry: &AuditEntry) -> serde_json::Value {
    serde_json::from_str(&entry.detail).unwrap_or(serde_json::Value::Null)
}

/// The stored JSON text as a value, so that key order and spacing do not matter.
fn json_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::String(text.to_owned()))
}

impl Store {
    /// The estate's items (rules, matters, scopes, candidates and questions, texts), frozen
    /// electorates, proxies and transfers checked against their audit entries; empty if all
    /// agree. With the chain intact and its checkpoints witnessed, a record changed behind the
    /// service's back shows here (issue 18's "rule rewrite").
    pub fn verify_records(&self, estate_id: &str) -> Result<Vec<RecordMismatch>, StoreError> {
        use crate::assemblies::Item;
        use crate::electorate::ElectorateUnit;
        use crate::schema::{electorate_units, proxies, proxy_items, voting_transfers};
        type ProxyRow = (String, String, String, bool, Option<String>);
        type TransferRow = (String, String, String, String, String);
        let (items, units, proxy_rows, proxy_item_rows, transfer_rows, entries) =
            self.read(|conn| {
                let items: Vec<Item> = items::table
                    .inner_join(assemblies::table)
                    .filter(assemblies::estate_id.eq(estate_id))
                    .select(Item::as_select())
                    .load(conn)?;
                let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
                let units: Vec<ElectorateUnit> = electorate_units::table
                    .filter(electorate_units::item_id.eq_any(&ids))
                    .select(ElectorateUnit::as_select())
                    .load(conn)?;
                let assembly_ids: Vec<String> = assemblies::table
                    .filter(assemblies::estate_id.eq(estate_id))
                    .select(assemblies::id)
                    .load(conn)?;
                let proxy_rows: Vec<ProxyRow> = proxies::table
                    .filter(proxies::assembly_id.eq_any(&assembly_ids))
                    .select((
                        proxies::id,
                        proxies::member,
                        proxies::holder,
                        proxies::whole_assembly,
                        proxies::revoked_at,
                    ))
                    .load(conn)?;
                let proxy_ids: Vec<&str> = proxy_rows.iter().map(|p| p.0.as_str()).collect();
                let proxy_item_rows: Vec<(String, String)> = proxy_items::table
                    .filter(proxy_items::proxy_id.eq_any(&proxy_ids))
                    .select((proxy_items::proxy_id, proxy_items::item_id))
                    .load(conn)?;
                let transfer_rows: Vec<TransferRow> = voting_transfers::table
                    .filter(voting_transfers::assembly_id.eq_any(&assembly_ids))
                    .select((
                        voting_transfers::id,
                        voting_transfers::unit_number,
                        voting_transfers::from_voter,
                        voting_transfers::to_voter,
                        voting_transfers::state,
                    ))
                    .load(conn)?;
                let entries: Vec<AuditEntry> = audit_log::table
                    .filter(audit_log::chain.eq(estate_id))
                    .filter(audit_log::action.eq_any([
                        "item.created",
                        "item.changed",
                        "assembly.open",
                        "proxy.recorded",
                        "proxy.revoked",
                        "transfer.recorded",
                        "electorate.transferred",
                    ]))
                    .order(audit_log::seq.asc())
                    .select(AuditEntry::as_select())
                    .load(conn)?;
                Ok((
                    items,
                    units,
                    proxy_rows,
                    proxy_item_rows,
                    transfer_rows,
                    entries,
                ))
            })?;
        let mut problems = Vec::new();
        let mut problem = |subject: &str, text: String| {
            problems.push(RecordMismatch {
                subject: subject.to_owned(),
                problem: text,
            })
        };
        // The latest entry about each subject per action; later entries overwrite earlier ones.
        let mut last: BTreeMap<(&str, &str), serde_json::Value> = BTreeMap::new();
        let mut frozen: BTreeMap<String, serde_json::Value> = BTreeMap::new();
        for entry in &entries {
            let detail = detail_of(entry);
            if entry.action == "assembly.open" {
                for e in detail
                    .get("electorates")
                    .and_then(|e| e.as_array())
                    .into_iter()
                    .flatten()
                {
                    if let Some(item) = e.get("item_id").and_then(|i| i.as_str()) {
                        frozen.insert(item.to_owned(), e.clone());
                    }
                }
            }
            let action = if entry.action == "item.changed" {
                "item.created"
            } else {
                entry.action.as_str()
            };
            last.insert((action, entry.subject.as_str()), detail);
        }
        for item in &items {
            let Some(logged) = last.get(&("item.created", item.id.as_str())) else {
                problem(&item.id, "no audit entry records this item".into());
                continue;
            };
            let checks: [(&str, serde_json::Value); 5] = [
                ("kind", serde_json::json!(item.kind)),
                ("title", serde_json::json!(item.title)),
                ("matter", serde_json::json!(item.matter)),
                ("rule", json_of(&item.rule)),
                ("scope", json_of(&item.scope)),
            ];
            for (field, stored) in checks {
                if logged.get(field) != Some(&stored) {
                    problem(
                        &item.id,
                        format!("the item's {field} differs from what the audit log recorded"),
                    );
                }
            }
            // Entries written before the log recorded them carry no definition or text hash.
            if let Some(definition) = logged.get("definition")
                && *definition != json_of(&item.definition)
            {
                problem(
                    &item.id,
                    "the item's candidates or questions differ from the audit log".into(),
                );
            }
            if let Some(body) = logged.get("body_sha256")
                && body.as_str() != Some(crate::audit::sha256_hex(item.body.as_bytes()).as_str())
            {
                problem(
                    &item.id,
                    "the item's text differs from what the audit log recorded".into(),
                );
            }
            if item.electorate_frozen_at.is_none() {
                continue;
            }
            let rows: Vec<ElectorateUnit> = units
                .iter()
                .filter(|u| u.item_id == item.id)
                .cloned()
                .collect();
            let Some(logged) = frozen.get(&item.id) else {
                problem(
                    &item.id,
                    "no audit entry records this item's frozen electorate".into(),
                );
                continue;
            };
            let area: i64 = rows.iter().map(|u| u.area_cents).sum();
            let logged_area = logged
                .get("total_area")
                .and_then(|a| a.as_str())
                .and_then(|a| gongjue_domain::area::Area::parse(a).ok())
                .map(|a| i64::try_from(a.cents()).unwrap_or(-1));
            let units_match =
                logged.get("units").and_then(|u| u.as_u64()) == u64::try_from(rows.len()).ok();
            let hash_match = logged
                .get("units_hash")
                .is_none_or(|h| h.as_str() == Some(crate::electorate::units_hash(&rows).as_str()));
            if !units_match || logged_area != Some(area) || !hash_match {
                problem(
                    &item.id,
                    "the frozen electorate differs from what the audit log recorded at opening"
                        .into(),
                );
            }
        }
        for (id, member, holder, whole, revoked) in &proxy_rows {
            let Some(logged) = last.get(&("proxy.recorded", id.as_str())) else {
                problem(id, "no audit entry records this proxy".into());
                continue;
            };
            let mut items: Vec<&str> = proxy_item_rows
                .iter()
                .filter(|(p, _)| p == id)
                .map(|(_, i)| i.as_str())
                .collect();
            items.sort_unstable();
            let mut logged_items: Vec<&str> = logged
                .get("items")
                .and_then(|i| i.as_array())
                .into_iter()
                .flatten()
                .filter_map(|i| i.as_str())
                .collect();
            logged_items.sort_unstable();
            let items_match = logged_items == items
                || (*whole && logged.get("items").is_some_and(|i| i.is_null()));
            if logged.get("member").and_then(|m| m.as_str()) != Some(member.as_str())
                || logged.get("holder").and_then(|h| h.as_str()) != Some(holder.as_str())
                || !items_match
            {
                problem(
                    id,
                    "the proxy differs from what the audit log recorded".into(),
                );
            }
            let logged_revoked = last.contains_key(&("proxy.revoked", id.as_str()));
            if logged_revoked != revoked.is_some() {
                problem(
                    id,
                    "the proxy's revocation differs from the audit log".into(),
                );
            }
        }
        for (id, unit, from, to, state) in &transfer_rows {
            let Some(logged) = last.get(&("transfer.recorded", id.as_str())) else {
                problem(id, "no audit entry records this transfer".into());
                continue;
            };
            if logged.get("unit").and_then(|u| u.as_str()) != Some(unit.as_str())
                || logged.get("from").and_then(|f| f.as_str()) != Some(from.as_str())
                || logged.get("to").and_then(|t| t.as_str()) != Some(to.as_str())
            {
                problem(
                    id,
                    "the transfer differs from what the audit log recorded".into(),
                );
            }
            let confirmed = last.contains_key(&("electorate.transferred", id.as_str()));
            if confirmed != (state == crate::transfers::CONFIRMED) {
                problem(
                    id,
                    "the transfer's confirmation differs from the audit log".into(),
                );
            }
        }
        Ok(problems)
    }
}
