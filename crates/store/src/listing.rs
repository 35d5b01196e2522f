//! Lists for clients that come back later to find things again: pages of long lists (units,
//! the outbox, objections) read with `LIMIT`/`OFFSET` in a stable order, and the short lists of
//! one assembly (pending paper ballots, transfers).

use diesel::prelude::*;

use crate::ballots::CurrentBallot;
use crate::outbox::{OutboxEmail, OutboxFilter};
use crate::publications::Objection;
use crate::rosters::{RosterVersion, StoredUnit, latest_version};
use crate::schema::{ballots, items, objections, outbox, units, voting_codes, voting_transfers};
use crate::transfers::VotingTransfer;
use crate::{Store, StoreError};

/// One page of a list: the rows from `offset` on (at most `limit`), and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
}

/// Which rows of a list: the caller bounds `limit` (the API refuses what is out of range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: i64,
    pub offset: i64,
}

impl Store {
    /// A page of the units of the estate's current roster version, by unit number, with the
    /// version they were read from (none if no roster was imported). Count and page are read in
    /// one snapshot, so a roster imported meanwhile cannot mix two versions into one answer.
    pub fn units_page(
        &self,
        estate_id: &str,
        window: Window,
    ) -> Result<(Page<StoredUnit>, Option<RosterVersion>), StoreError> {
        self.read(|conn| {
            let Some(version) = latest_version(conn, estate_id)? else {
                return Ok((
                    Page {
                        rows: Vec::new(),
                        total: 0,
                    },
                    None,
                ));
            };
            let rows = units::table
                .filter(units::roster_version_id.eq(&version.id))
                .order(units::unit_number.asc())
                .limit(window.limit)
                .offset(window.offset)
                .select(StoredUnit::as_select())
                .load(conn)?;
            let page = Page {
                rows,
                total: version.units_count,
            };
            Ok((page, Some(version)))
        })
    }

    /// A page of the outbox, oldest first (ties by id), narrowed by `filter`.
    pub fn outbox_page(
        &self,
        filter: &OutboxFilter,
        window: Window,
    ) -> Result<Page<OutboxEmail>, StoreError> {
        let narrowed = || {
            // Sign-in codes are not notices: their requests are audited
            // (`sessions.sms_code_sent`), and the rows stay out of the secretaries' list.
            let mut query = outbox::table
                .filter(outbox::kind.ne(crate::outbox::SIGN_IN_CODE))
                .into_boxed();
            if let Some(estate) = &filter.estate_id {
                query = query.filter(outbox::estate_id.eq(estate.clone()));
            }
            if let Some(assembly) = &filter.assembly_id {
                query = query.filter(outbox::assembly_id.eq(assembly.clone()));
            }
            if let Some(status) = &filter.status {
                query = query.filter(outbox::status.eq(status.clone()));
            }
            query
        };
        self.read(|conn| {
            let total: i64 = narrowed().count().get_result(conn)?;
            let rows = narrowed()
                .order((outbox::created_at.asc(), outbox::id.asc()))
                .limit(window.limit)
                .offset(window.offset)
                .select(OutboxEmail::as_select())
                .load(conn)?;
            Ok(Page { rows, total })
        })
    }

    /// A page of an assembly's objections in filing order; only one voter's with `voter`.
    pub fn objections_page(
        &self,
        assembly_id: &str,
        voter: Option<&str>,
        window: Window,
    ) -> Result<Page<Objection>, StoreError> {
        let narrowed = || {
            let mut query = objections::table
                .filter(objections::assembly_id.eq(assembly_id.to_owned()))
                .into_boxed();
            if let Some(voter) = voter {
                query = query.filter(objections::voter.eq(voter.to_owned()));
            }
            query
        };
        self.read(|conn| {
            let total: i64 = narrowed().count().get_result(conn)?;
            let rows = narrowed()
                .order(objections::id.asc())
                .limit(window.limit)
                .offset(window.offset)
                .select(Objection::as_select())
                .load(conn)?;
            Ok(Page { rows, total })
        })
    }

    /// The paper ballots of an assembly waiting for a second person: current ballots entered on
    /// paper and not confirmed yet (a superseded entry is history, not waiting), oldest first.
    pub fn pending_paper_ballots(
        &self,
        assembly_id: &str,
    ) -> Result<Vec<CurrentBallot>, StoreError> {
        let mut conn = self.conn()?;
        Ok(ballots::table
            .inner_join(items::table)
            .filter(items::assembly_id.eq(assembly_id))
            .filter(ballots::channel.eq("paper"))
            .filter(ballots::confirmed_at.is_null())
            .order((ballots::cast_at.asc(), ballots::version_id.asc()))
            .select(CurrentBallot::as_select())
            .load(&mut *conn)?)
    }

    /// The assembly's recorded transfers of a voting right, in the order they were recorded.
    pub fn assembly_transfers(&self, assembly_id: &str) -> Result<Vec<VotingTransfer>, StoreError> {
        let mut conn = self.conn()?;
        Ok(voting_transfers::table
            .filter(voting_transfers::assembly_id.eq(assembly_id))
            .order((
                voting_transfers::recorded_at.asc(),
                voting_transfers::id.asc(),
            ))
            .select(VotingTransfer::as_select())
            .load(&mut *conn)?)
    }

    /// Whether owners may have heard of the assembly by now: codes were issued for it, or a
    /// notice of it was queued (announcement, invitation, …). Cancelling it must then tell them.
    pub fn assembly_reached_owners(&self, assembly_id: &str) -> Result<bool, StoreError> {
        self.read(|conn| {
            let codes: i64 = voting_codes::table
                .filter(voting_codes::assembly_id.eq(assembly_id))
                .count()
                .get_result(conn)?;
            let mails: i64 = outbox::table
                .filter(outbox::assembly_id.eq(assembly_id))
                .count()
                .get_result(conn)?;
            Ok(codes > 0 || mails > 0)
        })
    }
}
