//! Assemblies (业主大会会议) and their items (motions, elections, consultations).
//!
//! The store keeps states consistent (no item added after announcing, the electorate frozen
//! when voting opens); the timetable rules themselves (15 days' notice, …) are the API's.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::db::{AnyConnection, new_id, now};
use crate::electorate::{self, ElectorateUnit, Scope};
use crate::outbox::{self, NoticeSource};
use crate::schema::{assemblies, items, proxy_items};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssemblyState {
    Draft,
    Announced,
    Open,
    Closed,
    Cancelled,
}

impl AssemblyState {
    pub fn as_str(self) -> &'static str {
        match self {
            AssemblyState::Draft => "draft",
            AssemblyState::Announced => "announced",
            AssemblyState::Open => "open",
            AssemblyState::Closed => "closed",
            AssemblyState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Result<AssemblyState, StoreError> {
        Ok(match text {
            "draft" => AssemblyState::Draft,
            "announced" => AssemblyState::Announced,
            "open" => AssemblyState::Open,
            "closed" => AssemblyState::Closed,
            "cancelled" => AssemblyState::Cancelled,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "unknown assembly state {other:?}"
                )));
            }
        })
    }

    /// The only moves an assembly makes; anything else is a conflict.
    fn may_become(self, next: AssemblyState) -> bool {
        use AssemblyState::*;
        matches!(
            (self, next),
            (Draft, Announced)
                | (Announced, Open)
                | (Open, Closed)
                | (Draft | Announced | Open, Cancelled)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Motion,
    Election,
    Consultation,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Motion => "motion",
            ItemKind::Election => "election",
            ItemKind::Consultation => "consultation",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = assemblies)]
pub struct Assembly {
    pub id: String,
    pub estate_id: String,
    pub title: String,
    pub state: String,
    pub announced_at: Option<String>,
    pub opens_at: String,
    pub closes_at: String,
    pub ballots_changeable: bool,
    /// JSON object of further procedural options.
    pub options: String,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct NewAssembly {
    pub estate_id: String,
    pub title: String,
    /// Timestamps as [`crate::timestamp`] writes them.
    pub opens_at: String,
    pub closes_at: String,
    pub ballots_changeable: bool,
    pub options: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = items)]
pub struct Item {
    pub id: String,
    pub assembly_id: String,
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub matter: Option<i32>,
    /// JSON: `"ordinary"`, `"special"` or a custom rule, as in the tally bundle.
    pub rule: String,
    /// JSON: a [`Scope`].
    pub scope: String,
    /// JSON: seats and candidates, or questions, as in the tally bundle.
    pub definition: String,
    pub state: String,
    pub roster_version_id: Option<String>,
    pub electorate_frozen_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct NewItem {
    pub kind: ItemKind,
    pub title: String,
    pub body: String,
    pub matter: Option<i32>,
    pub rule: serde_json::Value,
    pub scope: Scope,
    pub definition: serde_json::Value,
}

pub(crate) fn load_assembly(conn: &mut AnyConnection, id: &str) -> Result<Assembly, StoreError> {
    assemblies::table
        .find(id)
        .select(Assembly::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("assembly {id}")))
}

pub(crate) fn load_item(conn: &mut AnyConnection, id: &str) -> Result<Item, StoreError> {
    items::table
        .find(id)
        .select(Item::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("item {id}")))
}

/// Refuses to change the sheet of an assembly that is no longer a draft, naming its state.
pub(crate) fn draft_only(
    conn: &mut AnyConnection,
    assembly_id: &str,
    what: &str,
) -> Result<(), StoreError> {
    let assembly = load_assembly(conn, assembly_id)?;
    if assembly.state == AssemblyState::Draft.as_str() {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "assembly is {}: items can be {what} only in a draft",
            assembly.state
        )))
    }
}

pub(crate) fn assembly_items(
    conn: &mut AnyConnection,
    assembly_id: &str,
) -> Result<Vec<Item>, StoreError> {
    Ok(items::table
        .filter(items::assembly_id.eq(assembly_id))
        .order(items::position.asc())
        .select(Item::as_select())
        .load(conn)?)
}

impl Store {
    pub fn create_assembly(&self, new: NewAssembly, actor: &str) -> Result<Assembly, StoreError> {
        let assembly = Assembly {
            id: new_id(),
            estate_id: new.estate_id,
            title: new.title,
            state: AssemblyState::Draft.as_str().into(),
            announced_at: None,
            opens_at: new.opens_at,
            closes_at: new.closes_at,
            ballots_changeable: new.ballots_changeable,
            options: new.options.to_string(),
            created_at: now(),
        };
        self.write(|conn| {
            audit::lock_chain(conn, &assembly.estate_id)?;
            diesel::insert_into(assemblies::table).values(&assembly).execute(conn)?;
            audit::append(conn, NewAuditEntry {
                chain: assembly.estate_id.clone(),
                actor: actor.to_owned(),
                action: "assembly.created".into(),
                subject: assembly.id.clone(),
                detail: serde_json::json!({ "title": assembly.title, "opens_at": assembly.opens_at, "closes_at": assembly.closes_at }),
            })?;
            Ok(())
        })?;
        Ok(assembly)
    }

    pub fn assembly(&self, id: &str) -> Result<Assembly, StoreError> {
        let mut conn = self.conn()?;
        load_assembly(&mut conn, id)
    }

    /// The estate's assemblies, newest first (the staff pages' list).
    pub fn estate_assemblies(&self, estate_id: &str) -> Result<Vec<Assembly>, StoreError> {
        let mut conn = self.conn()?;
        Ok(assemblies::table
            .filter(assemblies::estate_id.eq(estate_id))
            .order(assemblies::created_at.desc())
            .select(Assembly::as_select())
            .load(&mut *conn)?)
    }

    pub fn item(&self, id: &str) -> Result<Item, StoreError> {
        let mut conn = self.conn()?;
        load_item(&mut conn, id)
    }

    pub fn items(&self, assembly_id: &str) -> Result<Vec<Item>, StoreError> {
        let mut conn = self.conn()?;
        assembly_items(&mut conn, assembly_id)
    }

    /// Adds an item at the end of the ballot sheet; only while the assembly is a draft.
    pub fn add_item(
        &self,
        assembly_id: &str,
        new: NewItem,
        actor: &str,
    ) -> Result<Item, StoreError> {
        self.add_item_in_round(assembly_id, new, None, actor)
    }

    /// [`Store::add_item`]; with `previous`, the item is the next round of that consultation
    /// (linked in the same transaction; refused if it already has a next round).
    pub fn add_item_in_round(
        &self,
        assembly_id: &str,
        new: NewItem,
        previous: Option<&str>,
        actor: &str,
    ) -> Result<Item, StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        let scope =
            serde_json::to_string(&new.scope).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let assembly = load_assembly(conn, assembly_id)?;
            if assembly.state != AssemblyState::Draft.as_str() {
                return Err(StoreError::Conflict(format!("assembly is {}: items can be added only to a draft", assembly.state)));
            }
            let last: Option<i32> =
                items::table.filter(items::assembly_id.eq(assembly_id)).select(diesel::dsl::max(items::position)).first(conn)?;
            let item = Item {
                id: new_id(),
                assembly_id: assembly_id.to_owned(),
                position: last.map_or(1, |p| p + 1),
                kind: new.kind.as_str().into(),
                title: new.title,
                body: new.body,
                matter: new.matter,
                rule: new.rule.to_string(),
                scope,
                definition: new.definition.to_string(),
                state: "draft".into(),
                roster_version_id: None,
                electorate_frozen_at: None,
                created_at: now(),
            };
            diesel::insert_into(items::table).values(&item).execute(conn)?;
            let round = match previous {
                Some(previous) => Some(crate::rounds::link(conn, &item.id, previous)?),
                None => None,
            };
            let mut detail = serde_json::json!({ "assembly": assembly_id, "kind": item.kind, "title": item.title, "matter": item.matter, "rule": new.rule, "scope": new.scope, "definition": new.definition, "body_sha256": audit::sha256_hex(item.body.as_bytes()) });
            if let (Some(previous), Some(round), Some(fields)) = (previous, round, detail.as_object_mut()) {
                fields.insert("previous_round".into(), serde_json::json!(previous));
                fields.insert("round".into(), serde_json::json!(round));
            }
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: actor.to_owned(),
                action: "item.created".into(),
                subject: item.id.clone(),
                detail,
            })?;
            Ok(item)
        })
    }

    /// Replaces what an item says and how it is counted, keeping its id and place on the sheet;
    /// only while its assembly is a draft (nobody has been told of it yet).
    pub fn update_item(
        &self,
        item_id: &str,
        new: NewItem,
        actor: &str,
    ) -> Result<Item, StoreError> {
        let before = self.item(item_id)?;
        let estate_id = self.assembly(&before.assembly_id)?.estate_id;
        let scope =
            serde_json::to_string(&new.scope).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let mut item = load_item(conn, item_id)?;
            draft_only(conn, &item.assembly_id, "changed")?;
            item.kind = new.kind.as_str().into();
            item.title = new.title;
            item.body = new.body;
            item.matter = new.matter;
            item.rule = new.rule.to_string();
            item.scope = scope;
            item.definition = new.definition.to_string();
            diesel::update(items::table.find(item_id))
                .set((
                    items::kind.eq(&item.kind),
                    items::title.eq(&item.title),
                    items::body.eq(&item.body),
                    items::matter.eq(item.matter),
                    items::rule.eq(&item.rule),
                    items::scope.eq(&item.scope),
                    items::definition.eq(&item.definition),
                ))
                .execute(conn)?;
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: actor.to_owned(),
                action: "item.changed".into(),
                subject: item.id.clone(),
                detail: serde_json::json!({ "assembly": item.assembly_id, "kind": item.kind, "title": item.title, "matter": item.matter, "rule": new.rule, "scope": new.scope, "definition": new.definition, "body_sha256": audit::sha256_hex(item.body.as_bytes()) }),
            })?;
            Ok(item)
        })
    }

    /// Deletes an item of a draft assembly; the items after it move up one place, so the sheet
    /// stays numbered 1, 2, 3… Refused while a proxy names the item (the proxy would silently
    /// cover less than the owner signed for).
    pub fn delete_item(&self, item_id: &str, actor: &str) -> Result<(), StoreError> {
        let before = self.item(item_id)?;
        let estate_id = self.assembly(&before.assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let item = load_item(conn, item_id)?;
            draft_only(conn, &item.assembly_id, "deleted")?;
            let named: i64 = proxy_items::table
                .filter(proxy_items::item_id.eq(item_id))
                .count()
                .get_result(conn)?;
            if named > 0 {
                return Err(StoreError::Conflict(format!(
                    "a proxy names item {item_id}: revoke it first"
                )));
            }
            // Its link to a previous round, its candidates' entries and documents go with it (still a draft: no
            // owner was told of them).
            diesel::delete(
                crate::schema::item_rounds::table
                    .filter(crate::schema::item_rounds::item_id.eq(item_id)),
            )
            .execute(conn)?;
            diesel::delete(
                crate::schema::candidates::table
                    .filter(crate::schema::candidates::item_id.eq(item_id)),
            )
            .execute(conn)?;
            diesel::delete(
                crate::schema::item_documents::table
                    .filter(crate::schema::item_documents::item_id.eq(item_id)),
            )
            .execute(conn)?;
            diesel::delete(items::table.find(item_id)).execute(conn)?;
            // One row at a time, upwards: each moves into the place just freed, so the unique
            // (assembly, position) holds after every statement on both databases.
            let later: Vec<(String, i32)> = items::table
                .filter(items::assembly_id.eq(&item.assembly_id))
                .filter(items::position.gt(item.position))
                .order(items::position.asc())
                .select((items::id, items::position))
                .load(conn)?;
            for (id, position) in later {
                diesel::update(items::table.find(id))
                    .set(items::position.eq(position - 1))
                    .execute(conn)?;
            }
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: actor.to_owned(),
                action: "item.deleted".into(),
                subject: item.id.clone(),
                detail: serde_json::json!({ "assembly": item.assembly_id, "position": item.position, "title": item.title }),
            })?;
            Ok(())
        })
    }

    /// Moves an assembly to its next state. Opening freezes every item's electorate from the
    /// current roster version and closing closes every item, in the same transaction.
    pub fn transition_assembly(
        &self,
        assembly_id: &str,
        next: AssemblyState,
        actor: &str,
    ) -> Result<Assembly, StoreError> {
        self.transition_assembly_with_notices(assembly_id, next, actor, &mut &[][..])
    }

    /// [`Store::transition_assembly`], queuing `notices` (e.g. the announcement) in the same
    /// transaction: they are sent if and only if the move commits.
    pub fn transition_assembly_with_notices(
        &self,
        assembly_id: &str,
        next: AssemblyState,
        actor: &str,
        notices: &mut dyn NoticeSource,
    ) -> Result<Assembly, StoreError> {
        self.transition_assembly_checked(assembly_id, next, actor, notices, |_, _, _| Ok(()))
    }

    /// [`Store::transition_assembly_with_notices`]; when opening, `check(index, item, units)`
    /// is given each item (by its index on the sheet) with the units about to be frozen for it,
    /// inside the transaction, and an error from it rolls the whole opening back.
    pub fn transition_assembly_checked(
        &self,
        assembly_id: &str,
        next: AssemblyState,
        actor: &str,
        notices: &mut dyn NoticeSource,
        check: impl FnMut(usize, &Item, &[ElectorateUnit]) -> Result<(), StoreError>,
    ) -> Result<Assembly, StoreError> {
        self.move_assembly(assembly_id, next, actor, notices, None, check)
    }

    /// Cancels an assembly (draft, announced or open; never once closed, when its result is
    /// published) with the reason kept in the audit entry, queuing `notices` (owners told that
    /// it is cancelled) in the same transaction.
    pub fn cancel_assembly(
        &self,
        assembly_id: &str,
        reason: &str,
        actor: &str,
        notices: &mut dyn NoticeSource,
    ) -> Result<Assembly, StoreError> {
        self.move_assembly(
            assembly_id,
            AssemblyState::Cancelled,
            actor,
            notices,
            Some(reason),
            |_, _, _| Ok(()),
        )
    }

    fn move_assembly(
        &self,
        assembly_id: &str,
        next: AssemblyState,
        actor: &str,
        notices: &mut dyn NoticeSource,
        reason: Option<&str>,
        mut check: impl FnMut(usize, &Item, &[ElectorateUnit]) -> Result<(), StoreError>,
    ) -> Result<Assembly, StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let mut assembly = load_assembly(conn, assembly_id)?;
            let current = AssemblyState::parse(&assembly.state)?;
            if !current.may_become(next) {
                return Err(StoreError::Conflict(format!(
                    "assembly is {}: it cannot become {}",
                    current.as_str(),
                    next.as_str()
                )));
            }
            let at = now();
            let mut frozen = Vec::new();
            match next {
                AssemblyState::Announced => {
                    // Owners would be told of an assembly that can never open.
                    if assembly_items(conn, assembly_id)?.is_empty() {
                        return Err(StoreError::Conflict(
                            "an assembly needs at least one item to be announced".into(),
                        ));
                    }
                    diesel::update(assemblies::table.find(assembly_id))
                        .set(assemblies::announced_at.eq(&at))
                        .execute(conn)?;
                    assembly.announced_at = Some(at.clone());
                }
                AssemblyState::Open => {
                    let sheet = assembly_items(conn, assembly_id)?;
                    if sheet.is_empty() {
                        return Err(StoreError::Invalid(
                            "an assembly needs at least one item to open".into(),
                        ));
                    }
                    for (index, item) in sheet.iter().enumerate() {
                        frozen.push(electorate::freeze(conn, &estate_id, item, &at, |units| {
                            check(index, item, units)
                        })?);
                    }
                }
                AssemblyState::Closed => {
                    diesel::update(
                        items::table
                            .filter(items::assembly_id.eq(assembly_id))
                            .filter(items::state.eq("open")),
                    )
                    .set(items::state.eq("closed"))
                    .execute(conn)?;
                }
                AssemblyState::Draft | AssemblyState::Cancelled => {}
            }
            diesel::update(assemblies::table.find(assembly_id))
                .set(assemblies::state.eq(next.as_str()))
                .execute(conn)?;
            assembly.state = next.as_str().into();
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: actor.to_owned(),
                    action: format!("assembly.{}", next.as_str()),
                    subject: assembly_id.to_owned(),
                    detail: match reason {
                        Some(reason) => {
                            serde_json::json!({ "from": current.as_str(), "reason": reason })
                        }
                        None => {
                            serde_json::json!({ "from": current.as_str(), "electorates": frozen })
                        }
                    },
                },
            )?;
            if next == AssemblyState::Closed {
                crate::publications::begin(conn, &assembly, actor)?;
            }
            outbox::enqueue_from(conn, notices)?;
            Ok(assembly)
        })
    }
}
