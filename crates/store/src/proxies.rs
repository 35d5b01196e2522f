//! Written proxy authorizations (委托书): a holder votes for a member, on the whole assembly or
//! on some items. The secretary records them with the document's reference.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::load_assembly;
use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::{items, proxies, proxy_items};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = proxies)]
pub struct Proxy {
    pub id: String,
    pub assembly_id: String,
    pub member: String,
    pub holder: String,
    pub whole_assembly: bool,
    pub document_ref: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewProxy {
    pub member: String,
    pub holder: String,
    /// Empty: the whole assembly.
    pub items: Vec<String>,
    pub document_ref: String,
}

impl Store {
    pub fn record_proxy(&self, assembly_id: &str, new: NewProxy, recorded_by: &str) -> Result<Proxy, StoreError> {
        if new.document_ref.trim().is_empty() {
            return Err(StoreError::Invalid("a proxy needs the reference of its written authorization".into()));
        }
        if new.member == new.holder {
            return Err(StoreError::Invalid("a member cannot be their own proxy".into()));
        }
        let estate_id = self.assembly(assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let assembly = load_assembly(conn, assembly_id)?;
            if assembly.state == "closed" || assembly.state == "cancelled" {
                return Err(StoreError::Conflict(format!("assembly is {}: no proxy can be recorded", assembly.state)));
            }
            let active: i64 = proxies::table
                .filter(proxies::assembly_id.eq(assembly_id))
                .filter(proxies::member.eq(&new.member))
                .filter(proxies::revoked_at.is_null())
                .count()
                .get_result(conn)?;
            if active > 0 {
                return Err(StoreError::Conflict(format!("member {} already has a proxy in this assembly", new.member)));
            }
            for item in &new.items {
                let of_assembly: i64 =
                    items::table.filter(items::id.eq(item)).filter(items::assembly_id.eq(assembly_id)).count().get_result(conn)?;
                if of_assembly == 0 {
                    return Err(StoreError::NotFound(format!("item {item} in assembly {assembly_id}")));
                }
            }
            let proxy = Proxy {
                id: new_id(),
                assembly_id: assembly_id.to_owned(),
                member: new.member.clone(),
                holder: new.holder.clone(),
                whole_assembly: new.items.is_empty(),
                document_ref: new.document_ref.trim().to_owned(),
                recorded_by: recorded_by.to_owned(),
                recorded_at: now(),
                revoked_at: None,
            };
            diesel::insert_into(proxies::table).values(&proxy).execute(conn)?;
            for item in &new.items {
                diesel::insert_into(proxy_items::table)
                    .values((proxy_items::proxy_id.eq(&proxy.id), proxy_items::item_id.eq(item)))
                    .execute(conn)?;
            }
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: recorded_by.to_owned(),
                action: "proxy.recorded".into(),
                subject: proxy.id.clone(),
                detail: serde_json::json!({ "assembly": assembly_id, "member": proxy.member, "holder": proxy.holder, "items": new.items, "document_ref": proxy.document_ref }),
            })?;
            Ok(proxy)
        })
    }

    /// The active proxies a holder holds in an assembly, each with the items it covers
    /// (empty = every item).
    pub fn proxies_held(&self, assembly_id: &str, holder: &str) -> Result<Vec<(Proxy, Vec<String>)>, StoreError> {
        self.read(|conn| {
            let held: Vec<Proxy> = proxies::table
                .filter(proxies::assembly_id.eq(assembly_id))
                .filter(proxies::holder.eq(holder))
                .filter(proxies::revoked_at.is_null())
                .order(proxies::id.asc())
                .select(Proxy::as_select())
                .load(conn)?;
            held.into_iter()
                .map(|proxy| {
                    let covered: Vec<String> =
                        proxy_items::table.filter(proxy_items::proxy_id.eq(&proxy.id)).select(proxy_items::item_id).load(conn)?;
                    Ok((proxy, covered))
                })
                .collect()
        })
    }
}
