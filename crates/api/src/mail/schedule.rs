//! Scheduled reminder rounds: with `reminder_hours_before_close = [72, 24]`, members who have
//! not voted yet are reminded 72 and 24 hours before an open assembly closes, as if the
//! secretary had asked (same message, audited as `notices.reminder` by `system`). A round whose
//! moment came before the assembly opened is skipped: the invitation has just told them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use gongjue_store::Store;

use crate::mail::compose::Context;
use crate::timetable;
use crate::usecases::UseCaseError;

/// The round due now for an assembly opened at `opened_at` and closing at `closes_at`: the
/// latest configured moment (`closes_at - hours`) already reached, if voting is still open
/// and it came after opening. Its name keys the round's messages (`auto-24h`).
pub fn due_round(
    now: DateTime<Utc>,
    opened_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    hours: &[u64],
) -> Option<String> {
    if now >= closes_at {
        return None;
    }
    hours
        .iter()
        .filter_map(|h| {
            // Checked: a configured number of hours too large for a date is no moment at all.
            let before = chrono::Duration::try_hours(i64::try_from(*h).ok()?)?;
            Some((*h, closes_at.checked_sub_signed(before)?))
        })
        .filter(|(_, moment)| *moment <= now && *moment >= opened_at)
        .min_by_key(|(h, _)| *h)
        .map(|(h, _)| format!("auto-{h}h"))
}

/// One look at every open assembly: queues the rounds that are due. Returns how many e-mails.
pub fn run_once(store: &Store, public_url: &str, hours: &[u64]) -> Result<usize, UseCaseError> {
    let mut queued = 0;
    let now = Utc::now();
    for assembly in store.open_assemblies()? {
        let context = Context::load(store, &assembly.id, public_url)?;
        let opened = context
            .items
            .iter()
            .filter_map(|i| i.electorate_frozen_at.as_deref())
            .min()
            .map(timetable::stored)
            .transpose()?;
        let Some(opened) = opened else { continue };
        let Some(round) = due_round(now, opened, timetable::stored(&assembly.closes_at)?, hours)
        else {
            continue;
        };
        let mut notices = context.reminders_not_sent(store, &round)?;
        // Appended only when the round queued something new: this runs every minute.
        queued += crate::usecases::notices::queue_round(
            store,
            &mut notices,
            "system",
            "notices.reminder",
            &round,
            false,
        )?;
    }
    Ok(queued)
}

/// Checks once a minute (or every `every`) for due rounds, until the task is dropped.
pub async fn run(store: Store, public_url: String, hours: Vec<u64>, every: Duration) {
    if hours.is_empty() {
        return;
    }
    loop {
        let (s, url, h) = (store.clone(), public_url.clone(), hours.clone());
        match tokio::task::spawn_blocking(move || run_once(&s, &url, &h)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(queued = n, "scheduled reminder round"),
            Ok(Err(e)) => tracing::warn!(error = %e, "scheduled reminders failed; retrying"),
            Err(e) => tracing::warn!(error = %e, "scheduled reminders task failed"),
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_latest_reached_moment_after_opening_is_due() {
        let (opened, closes) = (at("2026-12-20T01:00:00Z"), at("2026-12-27T10:00:00Z"));
        let hours = [72, 24];
        assert_eq!(
            due_round(at("2026-12-24T09:59:00Z"), opened, closes, &hours),
            None,
            "before 72 h"
        );
        assert_eq!(
            due_round(at("2026-12-24T10:00:00Z"), opened, closes, &hours).as_deref(),
            Some("auto-72h")
        );
        assert_eq!(
            due_round(at("2026-12-26T12:00:00Z"), opened, closes, &hours).as_deref(),
            Some("auto-24h")
        );
        assert_eq!(
            due_round(at("2026-12-27T10:00:00Z"), opened, closes, &hours),
            None,
            "closed"
        );
        // An assembly opened a day before closing: the 72 h round is skipped, the 24 h one is not.
        let late = at("2026-12-26T08:00:00Z");
        assert_eq!(
            due_round(at("2026-12-26T09:00:00Z"), late, closes, &hours),
            None
        );
        assert_eq!(
            due_round(at("2026-12-26T10:00:00Z"), late, closes, &hours).as_deref(),
            Some("auto-24h")
        );
    }
}
