//! The e-mail outbox: notices are queued in the database (in the transaction that decides to
//! send them) and a sender works through it, so a crash neither loses nor doubles a notice.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::{AnyConnection, new_id, now};
use crate::schema::outbox;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = outbox)]
pub struct OutboxEmail {
    pub id: String,
    pub estate_id: Option<String>,
    /// One e-mail per key, however often it is queued (e.g. `notice:<assembly>:<voter>`).
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// `pending`, `sent` or `failed` (given up).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewEmail {
    pub estate_id: Option<String>,
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
}

fn by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<OutboxEmail>, StoreError> {
    Ok(outbox::table.filter(outbox::dedupe_key.eq(key)).select(OutboxEmail::as_select()).first(conn).optional()?)
}

impl Store {
    /// Queues an e-mail; if its dedupe key is already queued, returns that one (`false`).
    pub fn enqueue_email(&self, new: NewEmail) -> Result<(OutboxEmail, bool), StoreError> {
        let at = now();
        let email = OutboxEmail {
            id: new_id(),
            estate_id: new.estate_id,
            dedupe_key: new.dedupe_key,
            recipient: new.recipient,
            subject: new.subject,
            body_text: new.body_text,
            body_html: new.body_html,
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: at.clone(),
            last_error: None,
            created_at: at,
            sent_at: None,
        };
        let stored = self.write(|conn| {
            if let Some(existing) = by_key(conn, &email.dedupe_key)? {
                return Ok((existing, false));
            }
            diesel::insert_into(outbox::table).values(&email).execute(conn)?;
            Ok((email.clone(), true))
        });
        match stored {
            // Two PostgreSQL writers raced on the same key: the other one queued it.
            Err(StoreError::Conflict(_)) => {
                let mut conn = self.conn()?;
                let existing = by_key(&mut conn, &email.dedupe_key)?.ok_or_else(|| StoreError::NotFound("e-mail".into()))?;
                Ok((existing, false))
            }
            other => other,
        }
    }

    /// Takes up to `limit` due e-mails for sending: each is leased until `lease_until` (a
    /// sender that dies leaves it to be retried then) and its attempt is counted. Two senders
    /// never claim the same e-mail: the lease is taken by a conditional update.
    pub fn claim_due_emails(&self, lease_until: &str, limit: i64) -> Result<Vec<OutboxEmail>, StoreError> {
        let at = now();
        self.write(|conn| {
            let due: Vec<OutboxEmail> = outbox::table
                .filter(outbox::status.eq("pending"))
                .filter(outbox::next_attempt_at.le(&at))
                .order(outbox::next_attempt_at.asc())
                .limit(limit)
                .select(OutboxEmail::as_select())
                .load(conn)?;
            let mut claimed = Vec::with_capacity(due.len());
            for mut email in due {
                let taken = diesel::update(
                    outbox::table
                        .find(&email.id)
                        .filter(outbox::status.eq("pending"))
                        .filter(outbox::next_attempt_at.eq(&email.next_attempt_at)),
                )
                .set((outbox::next_attempt_at.eq(lease_until), outbox::attempts.eq(email.attempts + 1)))
                .execute(conn)?;
                if taken == 1 {
                    email.next_attempt_at = lease_until.to_owned();
                    email.attempts += 1;
                    claimed.push(email);
                }
            }
            Ok(claimed)
        })
    }

    pub fn mark_email_sent(&self, id: &str) -> Result<(), StoreError> {
        let at = now();
        self.write(|conn| {
            let n = diesel::update(outbox::table.find(id))
                .set((outbox::status.eq("sent"), outbox::sent_at.eq(&at), outbox::last_error.eq(None::<String>)))
                .execute(conn)?;
            if n == 0 { Err(StoreError::NotFound(format!("e-mail {id}"))) } else { Ok(()) }
        })
    }

    /// Records a failed attempt: retried at `retry_at`, or given up (`failed`) if `None`.
    pub fn mark_email_failed(&self, id: &str, error: &str, retry_at: Option<&str>) -> Result<(), StoreError> {
        self.write(|conn| {
            let n = match retry_at {
                Some(retry_at) => diesel::update(outbox::table.find(id))
                    .set((outbox::last_error.eq(error), outbox::next_attempt_at.eq(retry_at)))
                    .execute(conn)?,
                None => diesel::update(outbox::table.find(id))
                    .set((outbox::last_error.eq(error), outbox::status.eq("failed")))
                    .execute(conn)?,
            };
            if n == 0 { Err(StoreError::NotFound(format!("e-mail {id}"))) } else { Ok(()) }
        })
    }

    pub fn email(&self, id: &str) -> Result<OutboxEmail, StoreError> {
        let mut conn = self.conn()?;
        outbox::table
            .find(id)
            .select(OutboxEmail::as_select())
            .first(&mut *conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("e-mail {id}")))
    }
}
