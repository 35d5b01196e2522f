//! What SMS adds to the store (issue 20): the estate's decision to send notices by SMS, each
//! owner's own choice of channel, the counts that keep the cost bounded, the provider's
//! delivery receipts, each owner's delivery record, and the one-time sign-in codes.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::db::now;
use crate::outbox::{self, NewEmail, OutboxEmail, SMS};
use crate::schema::{
    electorate_units, estates, items, notice_channels, outbox as outbox_table, sms_sign_in_codes,
    unit_contacts, units,
};
use crate::{Store, StoreError};

/// The kinds of SMS not counted against the per-owner and per-estate limits: an owner must
/// learn of every ballot recorded in their name, and sign-in codes have limits of their own.
pub const UNLIMITED_KINDS: &[&str] = &["ballot_recorded", "sign_in_code"];

/// One one-time sign-in code as stored: the number and the code as keyed hashes only.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sms_sign_in_codes)]
pub struct SignInCode {
    pub id: String,
    pub assembly_id: String,
    pub phone_hash: String,
    pub voter: String,
    pub code_hash: String,
    pub created_at: String,
    pub expires_at: String,
    pub failures: i32,
    pub used_at: Option<String>,
}

/// One notice as the owner's delivery record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub id: String,
    pub kind: String,
    pub channel: String,
    /// `pending`, `sent` or `failed` (given up).
    pub status: String,
    pub queued_at: String,
    pub sent_at: Option<String>,
    /// `delivered`, `failed`, or `None`: no receipt (unknown; e-mail has none).
    pub delivery: Option<String>,
    pub delivered_at: Option<String>,
}

impl From<OutboxEmail> for Delivery {
    fn from(m: OutboxEmail) -> Delivery {
        Delivery {
            id: m.id,
            kind: m.kind,
            channel: m.channel,
            status: m.status,
            queued_at: m.created_at,
            sent_at: m.sent_at,
            delivery: m.delivery,
            delivered_at: m.delivered_at,
        }
    }
}

/// The estate's SMS settings: whether notices go by SMS, and its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SmsSettings {
    pub on: bool,
    /// SMS per owner and assembly (ballot alerts and sign-in codes aside).
    pub per_owner: i64,
    /// SMS per day (Beijing time) for the whole estate (the same aside).
    pub per_day: i64,
}

/// What a receipt changed: the message and the audit entry it got.
#[derive(Debug, Clone)]
pub struct RecordedReceipt {
    pub message: OutboxEmail,
}

impl Store {
    /// Sets the estate's SMS notices (on or off) and budget, audited as `estate.sms_notices`
    /// by `actor`.
    pub fn set_sms_notices(
        &self,
        estate_id: &str,
        settings: &SmsSettings,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.write(|conn| {
            audit::lock_chain(conn, estate_id)?;
            let n = diesel::update(estates::table.find(estate_id))
                .set((
                    estates::sms_notices.eq(settings.on),
                    estates::sms_per_owner.eq(settings.per_owner),
                    estates::sms_per_day.eq(settings.per_day),
                ))
                .execute(conn)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("estate {estate_id}")));
            }
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: actor.to_owned(),
                    action: "estate.sms_notices".into(),
                    subject: estate_id.to_owned(),
                    detail: serde_json::json!({ "on": settings.on, "per_owner": settings.per_owner, "per_day": settings.per_day }),
                },
            )?;
            Ok(())
        })
    }

    /// Records the owner's own choice of channel (`email`, `sms` or `both`), audited as
    /// `notices.channels` by the owner.
    pub fn set_notice_channels(
        &self,
        estate_id: &str,
        owner_id: &str,
        channels: &str,
    ) -> Result<(), StoreError> {
        let at = now();
        self.write(|conn| {
            audit::lock_chain(conn, estate_id)?;
            diesel::delete(notice_channels::table.find((estate_id, owner_id))).execute(conn)?;
            diesel::insert_into(notice_channels::table)
                .values((
                    notice_channels::estate_id.eq(estate_id),
                    notice_channels::owner_id.eq(owner_id),
                    notice_channels::channels.eq(channels),
                    notice_channels::set_at.eq(&at),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: format!("owner:{owner_id}"),
                    action: "notices.channels".into(),
                    subject: owner_id.to_owned(),
                    detail: serde_json::json!({ "channels": channels }),
                },
            )?;
            Ok(())
        })
    }

    /// The owner's own choice of channel, if they made one.
    pub fn notice_channels(
        &self,
        estate_id: &str,
        owner_id: &str,
    ) -> Result<Option<String>, StoreError> {
        self.read(|conn| {
            Ok(notice_channels::table
                .find((estate_id, owner_id))
                .select(notice_channels::channels)
                .first(conn)
                .optional()?)
        })
    }

    /// SMS of the assembly counted against the per-owner limit, by owner.
    pub fn sms_counts(&self, assembly_id: &str) -> Result<BTreeMap<String, i64>, StoreError> {
        self.read(|conn| {
            let rows: Vec<(Option<String>, i64)> = outbox_table::table
                .filter(outbox_table::assembly_id.eq(assembly_id))
                .filter(outbox_table::channel.eq(SMS))
                .filter(outbox_table::kind.ne_all(UNLIMITED_KINDS))
                .group_by(outbox_table::voter)
                .select((outbox_table::voter, diesel::dsl::count_star()))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .filter_map(|(voter, n)| Some((voter?, n)))
                .collect())
        })
    }

    /// SMS of the estate queued since `since` (a stored time) counted against its daily limit.
    pub fn sms_queued_since(&self, estate_id: &str, since: &str) -> Result<i64, StoreError> {
        self.read(|conn| {
            Ok(outbox_table::table
                .filter(outbox_table::estate_id.eq(estate_id))
                .filter(outbox_table::channel.eq(SMS))
                .filter(outbox_table::created_at.ge(since))
                .filter(outbox_table::kind.ne_all(UNLIMITED_KINDS))
                .count()
                .get_result(conn)?)
        })
    }

    /// The members of the assembly's frozen electorates with the numbers the roster they were
    /// frozen from gives for their units: (owner, number as written). A number typed in
    /// after opening (a new roster) is not among them, so whoever imports a roster cannot
    /// point an owner's sign-in at their own phone during the vote.
    pub fn member_phones(&self, assembly_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        self.read(|conn| {
            let versions: Vec<Option<String>> = items::table
                .filter(items::assembly_id.eq(assembly_id))
                .filter(items::electorate_frozen_at.is_not_null())
                .select(items::roster_version_id)
                .distinct()
                .load(conn)?;
            let versions: Vec<String> = versions.into_iter().flatten().collect();
            let members: Vec<String> = electorate_units::table
                .inner_join(items::table.on(items::id.eq(electorate_units::item_id)))
                .filter(items::assembly_id.eq(assembly_id))
                .select(electorate_units::voter)
                .distinct()
                .load(conn)?;
            let members: std::collections::BTreeSet<String> = members.into_iter().collect();
            let rows: Vec<(String, Option<String>)> = units::table
                .inner_join(unit_contacts::table)
                .filter(units::roster_version_id.eq_any(&versions))
                .select((units::owner_id, unit_contacts::phone))
                .distinct()
                .load(conn)?;
            Ok(rows
                .into_iter()
                .filter(|(owner, _)| members.contains(owner))
                .filter_map(|(owner, phone)| Some((owner, phone?)))
                .filter(|(_, phone)| !phone.trim().is_empty())
                .collect())
        })
    }

    /// Stores a sign-in code and queues its SMS, audited as `sessions.sms_code_sent` (the
    /// owner, never the number or the code), in one transaction.
    pub fn store_sign_in_code(
        &self,
        estate_id: &str,
        code: &SignInCode,
        sms: &NewEmail,
    ) -> Result<(), StoreError> {
        self.write(|conn| {
            audit::lock_chain(conn, estate_id)?;
            diesel::insert_into(sms_sign_in_codes::table)
                .values(code)
                .execute(conn)?;
            outbox::enqueue(conn, sms)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: "anonymous".into(),
                    action: "sessions.sms_code_sent".into(),
                    subject: code.assembly_id.clone(),
                    detail: serde_json::json!({ "voter": code.voter, "code": code.id, "expires_at": code.expires_at }),
                },
            )?;
            Ok(())
        })
    }

    /// The newest sign-in code sent to the number (its hash) for the assembly, if any.
    pub fn latest_sign_in_code(
        &self,
        assembly_id: &str,
        phone_hash: &str,
    ) -> Result<Option<SignInCode>, StoreError> {
        self.read(|conn| {
            Ok(sms_sign_in_codes::table
                .filter(sms_sign_in_codes::assembly_id.eq(assembly_id))
                .filter(sms_sign_in_codes::phone_hash.eq(phone_hash))
                .order((
                    sms_sign_in_codes::created_at.desc(),
                    sms_sign_in_codes::id.desc(),
                ))
                .select(SignInCode::as_select())
                .first(conn)
                .optional()?)
        })
    }

    /// Counts a wrong code typed for `id`; returns the failures so far.
    pub fn count_sign_in_failure(&self, id: &str) -> Result<i32, StoreError> {
        self.write(|conn| {
            diesel::update(sms_sign_in_codes::table.find(id))
                .set(sms_sign_in_codes::failures.eq(sms_sign_in_codes::failures + 1))
                .execute(conn)?;
            Ok(sms_sign_in_codes::table
                .find(id)
                .select(sms_sign_in_codes::failures)
                .first(conn)?)
        })
    }

    /// Uses the code once (`false` if it was used meanwhile), audited as
    /// `sessions.sms_sign_in` in the estate's log.
    pub fn use_sign_in_code(
        &self,
        estate_id: &str,
        code: &SignInCode,
        ip: &str,
    ) -> Result<bool, StoreError> {
        let at = now();
        self.write(|conn| {
            audit::lock_chain(conn, estate_id)?;
            let n = diesel::update(
                sms_sign_in_codes::table
                    .find(&code.id)
                    .filter(sms_sign_in_codes::used_at.is_null()),
            )
            .set(sms_sign_in_codes::used_at.eq(&at))
            .execute(conn)?;
            if n == 0 {
                return Ok(false);
            }
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: format!("owner:{}", code.voter),
                    action: "sessions.sms_sign_in".into(),
                    subject: code.assembly_id.clone(),
                    detail: serde_json::json!({ "voter": code.voter, "code": code.id, "ip": ip }),
                },
            )?;
            Ok(true)
        })
    }

    /// Records a provider's receipt for the message it knows as `provider_id`, and audits it
    /// (`notices.delivery`) in the message's estate log. `None` for an id no message has (a
    /// receipt for another service, or a forged one); a second receipt for a message replaces
    /// the first.
    pub fn record_receipt(
        &self,
        provider_id: &str,
        delivered: bool,
        at: Option<&str>,
        detail: &str,
    ) -> Result<Option<RecordedReceipt>, StoreError> {
        let received = now();
        let at = at.map_or_else(|| received.clone(), str::to_owned);
        let found: Option<OutboxEmail> = self.read(|conn| {
            Ok(outbox_table::table
                .filter(outbox_table::provider_id.eq(provider_id))
                .select(OutboxEmail::as_select())
                .first(conn)
                .optional()?)
        })?;
        let Some(message) = found else {
            return Ok(None);
        };
        let status = if delivered { "delivered" } else { "failed" };
        self.write(|conn| {
            let chain = message.estate_id.clone();
            if let Some(chain) = &chain {
                audit::lock_chain(conn, chain)?;
            }
            diesel::update(outbox_table::table.find(&message.id))
                .set((
                    outbox_table::delivery.eq(status),
                    outbox_table::delivered_at.eq(&at),
                    outbox_table::delivery_detail.eq(detail),
                ))
                .execute(conn)?;
            if let Some(chain) = chain {
                audit::append(
                    conn,
                    NewAuditEntry {
                        chain,
                        actor: "provider".into(),
                        action: "notices.delivery".into(),
                        subject: message.id.clone(),
                        detail: serde_json::json!({
                            "voter": message.voter,
                            "assembly": message.assembly_id,
                            "kind": message.kind,
                            "channel": message.channel,
                            "delivery": status,
                            "at": at,
                        }),
                    },
                )?;
            }
            Ok(())
        })?;
        let mut message = message;
        message.delivery = Some(status.into());
        message.delivered_at = Some(at);
        message.delivery_detail = Some(detail.to_owned());
        Ok(Some(RecordedReceipt { message }))
    }

    /// Every notice queued to `voter` in the assembly, oldest first: their delivery record.
    pub fn deliveries(&self, assembly_id: &str, voter: &str) -> Result<Vec<Delivery>, StoreError> {
        self.read(|conn| {
            Ok(outbox_table::table
                .filter(outbox_table::assembly_id.eq(assembly_id))
                .filter(outbox_table::voter.eq(voter))
                .filter(outbox_table::kind.ne("sign_in_code"))
                .order((outbox_table::created_at.asc(), outbox_table::id.asc()))
                .select(OutboxEmail::as_select())
                .load::<OutboxEmail>(conn)?
                .into_iter()
                .map(Delivery::from)
                .collect())
        })
    }
}

impl Store {
    /// The member's active voting code in the assembly, if one was issued and not revoked:
    /// a session opened by SMS names it, so that re-issuing the code ends that session too.
    pub fn active_code_of(
        &self,
        assembly_id: &str,
        voter: &str,
    ) -> Result<Option<crate::codes::VotingCode>, StoreError> {
        use crate::schema::voting_codes;
        self.read(|conn| {
            Ok(voting_codes::table
                .filter(voting_codes::assembly_id.eq(assembly_id))
                .filter(voting_codes::voter.eq(voter))
                .filter(voting_codes::revoked_at.is_null())
                .select(crate::codes::VotingCode::as_select())
                .first(conn)
                .optional()?)
        })
    }
}

impl Store {
    /// Records in each estate's log which notices a worker's round handed to the relay or the
    /// provider (`notices.sent`: message, member, assembly, kind, channel, provider id): one
    /// entry per estate and round, so that who was told what, and when, is in the log the
    /// witnesses keep, without one log entry per message.
    pub fn audit_sent(&self, sent: &[OutboxEmail]) -> Result<(), StoreError> {
        let mut by_estate: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
        for m in sent {
            let Some(estate) = m.estate_id.as_deref() else {
                continue;
            };
            by_estate
                .entry(estate)
                .or_default()
                .push(serde_json::json!({
                    "message": m.id,
                    "voter": m.voter,
                    "assembly": m.assembly_id,
                    "kind": m.kind,
                    "channel": m.channel,
                    "provider_id": m.provider_id,
                }));
        }
        for (estate, messages) in by_estate {
            self.write(|conn| {
                audit::lock_chain(conn, estate)?;
                audit::append(
                    conn,
                    NewAuditEntry {
                        chain: estate.to_owned(),
                        actor: "system".into(),
                        action: "notices.sent".into(),
                        subject: estate.to_owned(),
                        detail: serde_json::json!({ "messages": messages }),
                    },
                )?;
                Ok(())
            })?;
        }
        Ok(())
    }
}
