//! Cross-checks the ballot tables against the audit log. The chain proves the log was not
//! edited; this proves the ballots still say what the log recorded when they were cast
//! (each `ballot.cast` entry carries the version's receipt hash).

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::AuditEntry;
use crate::ballots::{BallotVersion, CurrentBallot};
use crate::db::AnyConnection;
use crate::schema::{assemblies, audit_log, ballot_versions, ballots, items};
use crate::{Store, StoreError};

/// One ballot whose stored rows disagree with the audit log or with each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotMismatch {
    /// The ballot version (or audit subject) concerned.
    pub ballot: String,
    pub problem: String,
}

/// Rows read per statement while checking: an estate's 100,000 ballots are never all in memory
/// (issue 22: they were, with their audit entries, 200 MB at the final publication).
const CHECK_CHUNK: i64 = 5_000;

fn receipt_in(detail: &str) -> Option<String> {
    let detail: serde_json::Value = serde_json::from_str(detail).ok()?;
    detail.get("receipt")?.as_str().map(str::to_owned)
}

/// What a current ballot must repeat of its version, as a digest: a version is checked
/// against its current row without keeping either.
fn current_digest(current: &CurrentBallot) -> [u8; 32] {
    use sha2::Digest;
    let fields = serde_json::to_vec(current).unwrap_or_default();
    sha2::Sha256::digest(fields).into()
}

/// What the audit log recorded of the estate's ballots: each cast's receipt and each paper
/// confirmation's confirmer, by ballot version.
#[derive(Default)]
struct Recorded {
    casts: HashMap<String, Option<String>>,
    confirmations: HashMap<String, String>,
}

impl Recorded {
    fn read(
        conn: &mut AnyConnection,
        estate_id: &str,
        problem: &mut impl FnMut(&str, &str),
    ) -> Result<Recorded, StoreError> {
        let mut recorded = Recorded::default();
        let mut after = 0_i64;
        loop {
            let rows: Vec<(i64, String, String, String, String)> = audit_log::table
                .filter(audit_log::chain.eq(estate_id))
                .filter(audit_log::seq.gt(after))
                .filter(audit_log::action.eq_any(["ballot.cast", "ballot.confirmed"]))
                .order(audit_log::seq.asc())
                .select((
                    audit_log::seq,
                    audit_log::action,
                    audit_log::subject,
                    audit_log::actor,
                    audit_log::detail,
                ))
                .limit(CHECK_CHUNK)
                .load(conn)?;
            let Some(last) = rows.last() else {
                return Ok(recorded);
            };
            after = last.0;
            for (_, action, subject, actor, detail) in rows {
                let again = if action == "ballot.cast" {
                    recorded
                        .casts
                        .insert(subject.clone(), receipt_in(&detail))
                        .is_some()
                } else {
                    recorded
                        .confirmations
                        .insert(subject.clone(), actor)
                        .is_some()
                };
                if again {
                    problem(&subject, &format!("more than one {action} entry"));
                }
            }
        }
    }
}

impl Store {
    /// Every ballot of the estate checked against its audit entries; empty if all agree. Read
    /// in one snapshot, a chunk at a time.
    pub fn verify_ballots(&self, estate_id: &str) -> Result<Vec<BallotMismatch>, StoreError> {
        let mut problems = Vec::new();
        let mut problem = |ballot: &str, text: &str| {
            problems.push(BallotMismatch {
                ballot: ballot.to_owned(),
                problem: text.to_owned(),
            })
        };
        self.read(|conn| {
            let item_ids: Vec<String> = items::table
                .inner_join(assemblies::table)
                .filter(assemblies::estate_id.eq(estate_id))
                .select(items::id)
                .load(conn)?;
            let mut recorded = Recorded::read(conn, estate_id, &mut problem)?;
            // Each version's digest as a current ballot, and each voter's newest version.
            let mut versions: HashMap<String, [u8; 32]> = HashMap::new();
            for item in &item_ids {
                let mut latest: HashMap<String, (i64, String)> = HashMap::new();
                let (mut voter, mut seq) = (String::new(), 0_i64);
                loop {
                    let chunk: Vec<BallotVersion> = ballot_versions::table
                        .filter(ballot_versions::item_id.eq(item))
                        .filter(ballot_versions::voter.ge(&voter))
                        .filter(
                            ballot_versions::voter
                                .gt(&voter)
                                .or(ballot_versions::seq.gt(seq)),
                        )
                        .order((ballot_versions::voter.asc(), ballot_versions::seq.asc()))
                        .select(BallotVersion::as_select())
                        .limit(CHECK_CHUNK)
                        .load(conn)?;
                    let Some(last) = chunk.last() else { break };
                    (voter, seq) = (last.voter.clone(), last.seq);
                    for v in chunk {
                        match recorded.casts.remove(&v.id) {
                            None => problem(&v.id, "no audit entry records this ballot"),
                            Some(receipt) if receipt.as_deref() != Some(v.receipt().as_str()) => {
                                problem(
                                    &v.id,
                                    "the ballot differs from what the audit log recorded",
                                )
                            }
                            Some(_) => {}
                        }
                        match (recorded.confirmations.remove(&v.id), &v.confirmed_by) {
                            (None, None) => {}
                            (Some(actor), Some(by)) if &actor == by => {}
                            _ => {
                                problem(&v.id, "the paper confirmation differs from the audit log")
                            }
                        }
                        let newest = latest
                            .entry(v.voter.clone())
                            .or_insert((v.seq, v.id.clone()));
                        if v.seq > newest.0 {
                            *newest = (v.seq, v.id.clone());
                        }
                        versions.insert(v.id.clone(), current_digest(&CurrentBallot::from(&v)));
                    }
                }
                let mut currents = 0;
                let mut after = String::new();
                loop {
                    let chunk: Vec<CurrentBallot> = ballots::table
                        .filter(ballots::item_id.eq(item))
                        .filter(ballots::voter.gt(&after))
                        .order(ballots::voter.asc())
                        .select(CurrentBallot::as_select())
                        .limit(CHECK_CHUNK)
                        .load(conn)?;
                    let Some(last) = chunk.last() else { break };
                    after = last.voter.clone();
                    currents += chunk.len();
                    for current in chunk {
                        if versions.get(&current.version_id) != Some(&current_digest(&current)) {
                            problem(
                                &current.version_id,
                                "the current ballot differs from its recorded version",
                            );
                        }
                        if latest.get(&current.voter).map(|(_, id)| id) != Some(&current.version_id)
                        {
                            problem(
                                &current.version_id,
                                "the current ballot is not the voter's latest version",
                            );
                        }
                    }
                }
                if latest.len() != currents {
                    problem(estate_id, "a voter's ballot history has no current ballot");
                }
            }
            // What is left was recorded of a version that is not there (any more).
            let mut missing: Vec<&String> = recorded
                .casts
                .keys()
                .chain(recorded.confirmations.keys())
                .filter(|id| !versions.contains_key(*id))
                .collect();
            missing.sort();
            for id in missing {
                problem(id, "the audit log records a ballot that is missing");
            }
            Ok(())
        })?;
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

/// What [`Store::verify_records`] compares of a frozen electorate with the opening's entry.
struct FrozenSummary {
    units: usize,
    area_cents: i64,
    hash: String,
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
                // Each frozen electorate is read and summed up on its own: all of an estate's
                // at once were 200,000 rows at a mega-estate (issue 22).
                let mut units = BTreeMap::new();
                for item in items.iter().filter(|i| i.electorate_frozen_at.is_some()) {
                    let rows: Vec<ElectorateUnit> = electorate_units::table
                        .filter(electorate_units::item_id.eq(&item.id))
                        .select(ElectorateUnit::as_select())
                        .load(conn)?;
                    let summary = FrozenSummary {
                        units: rows.len(),
                        area_cents: rows.iter().map(|u| u.area_cents).sum(),
                        hash: crate::electorate::units_hash(&rows),
                    };
                    units.insert(item.id.clone(), summary);
                }
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
            let Some(rows) = units.get(&item.id) else {
                continue;
            };
            let Some(logged) = frozen.get(&item.id) else {
                problem(
                    &item.id,
                    "no audit entry records this item's frozen electorate".into(),
                );
                continue;
            };
            let area = rows.area_cents;
            let logged_area = logged
                .get("total_area")
                .and_then(|a| a.as_str())
                .and_then(|a| gongjue_domain::area::Area::parse(a).ok())
                .map(|a| i64::try_from(a.cents()).unwrap_or(-1));
            let units_match =
                logged.get("units").and_then(|u| u.as_u64()) == u64::try_from(rows.units).ok();
            let hash_match = logged
                .get("units_hash")
                .is_none_or(|h| h.as_str() == Some(rows.hash.as_str()));
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
