//! Proxies (委托): a holder votes for a member on some items or the whole assembly, on the
//! strength of a written authorization recorded by the secretary.

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
    pub assembly_id: String,
    pub member: String,
    pub holder: String,
    /// `None`: every item of the assembly.
    pub items: Option<Vec<String>>,
    pub document_ref: String,
    pub recorded_by: String,
}

impl Store {
    pub fn record_proxy(&self, new: NewProxy) -> Result<Proxy, StoreError> {
        let estate_id = self.assembly(&new.assembly_id)?.estate_id;
        let proxy = Proxy {
            id: new_id(),
            assembly_id: new.assembly_id.clone(),
            member: new.member.clone(),
            holder: new.holder.clone(),
            whole_assembly: new.items.is_none(),
            document_ref: new.document_ref.clone(),
            recorded_by: new.recorded_by.clone(),
            recorded_at: now(),
            revoked_at: None,
        };
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            load_assembly(conn, &new.assembly_id)?;
            diesel::insert_into(proxies::table)
                .values(&proxy)
                .execute(conn)?;
            for item_id in new.items.iter().flatten() {
                let in_assembly: i64 = items::table
                    .find(item_id)
                    .filter(items::assembly_id.eq(&new.assembly_id))
                    .count()
                    .get_result(conn)?;
                if in_assembly == 0 {
                    return Err(StoreError::NotFound(format!(
                        "item {item_id} in assembly {}",
                        new.assembly_id
                    )));
                }
                diesel::insert_into(proxy_items::table)
                    .values((
                        proxy_items::proxy_id.eq(&proxy.id),
                        proxy_items::item_id.eq(item_id),
                    ))
                    .execute(conn)?;
            }
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: new.recorded_by.clone(),
                    action: "proxy.recorded".into(),
                    subject: proxy.id.clone(),
                    detail: serde_json::json!({
                        "assembly": new.assembly_id, "member": new.member, "holder": new.holder,
                        "items": new.items, "document_ref": new.document_ref,
                    }),
                },
            )?;
            Ok(())
        })?;
        Ok(proxy)
    }

    /// The assembly's active proxies, in the order they were recorded (the proxies page).
    pub fn assembly_proxies(&self, assembly_id: &str) -> Result<Vec<Proxy>, StoreError> {
        self.read(|conn| {
            Ok(proxies::table
                .filter(proxies::assembly_id.eq(assembly_id))
                .filter(proxies::revoked_at.is_null())
                .order(proxies::recorded_at.asc())
                .select(Proxy::as_select())
                .load(conn)?)
        })
    }

    /// The holder's active proxy for `member` that covers `item_id`, if any.
    pub fn proxy_for(
        &self,
        item_id: &str,
        member: &str,
        holder: &str,
    ) -> Result<Option<Proxy>, StoreError> {
        self.read(|conn| {
            let assembly_id: String = items::table
                .find(item_id)
                .select(items::assembly_id)
                .first(conn)?;
            let candidates: Vec<Proxy> = proxies::table
                .filter(proxies::assembly_id.eq(&assembly_id))
                .filter(proxies::member.eq(member))
                .filter(proxies::holder.eq(holder))
                .filter(proxies::revoked_at.is_null())
                .order(proxies::id.asc())
                .select(Proxy::as_select())
                .load(conn)?;
            for proxy in candidates {
                if proxy.whole_assembly {
                    return Ok(Some(proxy));
                }
                let covers: i64 = proxy_items::table
                    .find((&proxy.id, item_id))
                    .count()
                    .get_result(conn)?;
                if covers > 0 {
                    return Ok(Some(proxy));
                }
            }
            Ok(None)
        })
    }

    pub fn revoke_proxy(&self, proxy_id: &str, actor: &str) -> Result<(), StoreError> {
        let assembly_id: String = {
            let mut conn = self.conn()?;
            proxies::table
                .find(proxy_id)
                .select(proxies::assembly_id)
                .first(&mut *conn)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("proxy {proxy_id}")))?
        };
        let estate_id = self.assembly(&assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let n = diesel::update(
                proxies::table
                    .find(proxy_id)
                    .filter(proxies::revoked_at.is_null()),
            )
            .set(proxies::revoked_at.eq(now()))
            .execute(conn)?;
            if n == 0 {
                return Err(StoreError::Conflict(format!(
                    "proxy {proxy_id} is already revoked"
                )));
            }
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: actor.to_owned(),
                    action: "proxy.revoked".into(),
                    subject: proxy_id.to_owned(),
                    detail: serde_json::json!({}),
                },
            )?;
            Ok(())
        })
    }
}
