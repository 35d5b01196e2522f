//! Consultation rounds (issue 19): an item may be the next round of an earlier consultation.
//! The link is kept beside the item, not in its definition, so that each round's bundle is
//! exactly the tally format and recounts on its own.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::AnyConnection;
use crate::schema::item_rounds;
use crate::{Store, StoreError};

/// More rounds than any consultation runs: a longer chain is a loop.
const MAX_ROUNDS: usize = 1000;

/// One link: `item_id` is round `round` and follows `previous_item_id`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = item_rounds)]
pub struct RoundLink {
    pub item_id: String,
    pub previous_item_id: String,
    pub round: i32,
}

/// Links `item` as the next round of `previous` inside the caller's transaction; returns its
/// round number. Refused if `previous` already has a next round.
pub(crate) fn link(
    conn: &mut AnyConnection,
    item: &str,
    previous: &str,
) -> Result<i32, StoreError> {
    let taken: i64 = item_rounds::table
        .filter(item_rounds::previous_item_id.eq(previous))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(StoreError::Conflict(format!(
            "item {previous} already has a next round"
        )));
    }
    let before: Option<i32> = item_rounds::table
        .find(previous)
        .select(item_rounds::round)
        .first(conn)
        .optional()?;
    let round = before.unwrap_or(1) + 1;
    diesel::insert_into(item_rounds::table)
        .values(&RoundLink {
            item_id: item.to_owned(),
            previous_item_id: previous.to_owned(),
            round,
        })
        .execute(conn)?;
    Ok(round)
}

impl Store {
    /// The link of `item` to its previous round, if it is a later round.
    pub fn round_of(&self, item: &str) -> Result<Option<RoundLink>, StoreError> {
        let mut conn = self.conn()?;
        Ok(item_rounds::table
            .find(item)
            .select(RoundLink::as_select())
            .first(&mut *conn)
            .optional()?)
    }

    /// The next round of `item`, if one was set up.
    pub fn next_round_of(&self, item: &str) -> Result<Option<RoundLink>, StoreError> {
        let mut conn = self.conn()?;
        Ok(item_rounds::table
            .filter(item_rounds::previous_item_id.eq(item))
            .select(RoundLink::as_select())
            .first(&mut *conn)
            .optional()?)
    }

    /// Every round of the chain `item` belongs to, first to last (item ids).
    pub fn rounds_of(&self, item: &str) -> Result<Vec<String>, StoreError> {
        // Links only ever point to an earlier item; a loop is a rewritten database.
        let corrupt = || StoreError::Corrupt(format!("the rounds of item {item} form a loop"));
        let mut first = item.to_owned();
        let mut steps = 0;
        while let Some(link) = self.round_of(&first)? {
            first = link.previous_item_id;
            steps += 1;
            if steps > MAX_ROUNDS {
                return Err(corrupt());
            }
        }
        let mut chain = vec![first.clone()];
        let mut last = first;
        while let Some(link) = self.next_round_of(&last)? {
            chain.push(link.item_id.clone());
            last = link.item_id;
            if chain.len() > MAX_ROUNDS {
                return Err(corrupt());
            }
        }
        Ok(chain)
    }
}
