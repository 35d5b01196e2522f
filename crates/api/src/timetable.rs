//! The assembly's timetable (rules.md §6): notice before opening, ballots only inside the
//! voting window, paper ballots received inside it, no accidental early closing.

use chrono::{DateTime, Duration, Utc};
use gongjue_store::estates::Estate;

use crate::i18n::Msg;
use crate::usecases::UseCaseError;

/// The notice period when the estate's rules of procedure say nothing else (rules.md §6).
pub const DEFAULT_NOTICE_DAYS: i64 = gongjue_store::estates::DEFAULT_MIN_NOTICE_DAYS;

/// The longest notice an assembly may ask for (a year; more is a typing error).
pub const MAX_NOTICE_DAYS: i64 = 365;

/// Binding items (motions, elections) are voted on only after the notice the estate's rules of
/// procedure require; a trial estate practises with any notice, down to none.
pub fn check_notice_minimum(estate: &Estate, notice_days: i64) -> Result<(), UseCaseError> {
    if estate.trial || notice_days >= estate.min_notice_days {
        Ok(())
    } else {
        Err(UseCaseError::Invalid {
            msg: Msg::NoticeBelowMinimum,
            field: "notice_days".into(),
            detail: format!(
                "notice_days is {notice_days}; the estate's rules require at least {} for binding items",
                estate.min_notice_days
            ),
        })
    }
}

/// Reads a timestamp given by a client (RFC 3339, any offset) as UTC.
pub fn parse(field: &str, text: &str) -> Result<DateTime<Utc>, UseCaseError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| UseCaseError::invalid(field, format!("not an RFC 3339 time: {e}")))
}

/// Reads a timestamp the store wrote.
pub fn stored(text: &str) -> Result<DateTime<Utc>, UseCaseError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| UseCaseError::Internal(format!("stored time {text:?}: {e}")))
}

pub fn check_window(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Result<(), UseCaseError> {
    if opens_at < closes_at {
        Ok(())
    } else {
        Err(UseCaseError::invalid(
            "closes_at",
            "voting must close after it opens",
        ))
    }
}

/// Announcing: at least `notice_days` whole days before voting opens.
pub fn check_notice(
    now: DateTime<Utc>,
    opens_at: DateTime<Utc>,
    notice_days: i64,
) -> Result<(), UseCaseError> {
    // Checked: days past any date are a notice no opening time can respect.
    let earliest = Duration::try_days(notice_days).and_then(|d| now.checked_add_signed(d));
    match earliest {
        Some(earliest) if opens_at >= earliest => Ok(()),
        _ => Err(UseCaseError::Rule(Msg::NoticeTooShort)),
    }
}

/// Opening: not before the announced opening time.
pub fn check_opening(now: DateTime<Utc>, opens_at: DateTime<Utc>) -> Result<(), UseCaseError> {
    if now >= opens_at {
        Ok(())
    } else {
        Err(UseCaseError::Rule(Msg::VotingNotYetOpen))
    }
}

/// A ballot is accepted from opening (included) to closing (excluded).
pub fn check_casting(
    now: DateTime<Utc>,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    if now < opens_at {
        Err(UseCaseError::Rule(Msg::VotingNotYetOpen))
    } else if now >= closes_at {
        Err(UseCaseError::Rule(Msg::VotingClosed))
    } else {
        Ok(())
    }
}

/// A paper ballot counts only if it was received inside the window, and not in the future.
pub fn check_receipt(
    now: DateTime<Utc>,
    received: DateTime<Utc>,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    if received >= opens_at && received < closes_at && received <= now {
        Ok(())
    } else {
        Err(UseCaseError::Invalid {
            msg: Msg::ReceiptOutsideWindow,
            field: "received_at".into(),
            detail: format!("received {received}"),
        })
    }
}

/// Closing before the announced time cuts voters off: it needs a stated reason (audited).
pub fn check_closing(
    now: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    reason: Option<&str>,
) -> Result<(), UseCaseError> {
    if now >= closes_at || reason.is_some_and(|r| !r.trim().is_empty()) {
        Ok(())
    } else {
        Err(UseCaseError::Rule(Msg::ClosingEarly))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        parse("t", s).unwrap()
    }

    #[test]
    fn the_window_includes_opening_and_excludes_closing() {
        let (open, close) = (t("2026-01-01T00:00:00Z"), t("2026-01-10T00:00:00Z"));
        assert!(check_casting(open, open, close).is_ok());
        assert!(check_casting(open - Duration::seconds(1), open, close).is_err());
        assert!(check_casting(close, open, close).is_err());
        assert!(check_receipt(close, close - Duration::seconds(1), open, close).is_ok());
        assert!(check_receipt(close, close, open, close).is_err());
        assert!(
            check_receipt(open, open + Duration::seconds(5), open, close).is_err(),
            "a receipt time in the future"
        );
    }

    #[test]
    fn notice_is_counted_in_days() {
        let now = t("2026-01-01T00:00:00+08:00");
        assert!(check_notice(now, now + Duration::days(15), 15).is_ok());
        assert!(check_notice(now, now + Duration::days(15) - Duration::seconds(1), 15).is_err());
    }

    #[test]
    fn a_notice_past_any_date_is_too_short_not_a_panic() {
        let now = t("2026-01-01T00:00:00Z");
        assert!(check_notice(now, now, i64::from(u32::MAX)).is_err());
        assert!(check_notice(now, now, i64::MAX).is_err());
    }

    #[test]
    fn binding_items_need_the_estates_minimum_unless_it_is_a_trial() {
        let estate = |trial| Estate {
            id: "e".into(),
            name: "e".into(),
            created_at: String::new(),
            trial,
            min_notice_days: 15,
            contact_phone: None,
            follow_majority: false,
            follow_majority_basis: None,
            max_extension_days: 90,
            candidate_declarations: "[]".into(),
            sms_notices: false,
            sms_per_owner: 6,
            sms_per_day: 3000,
        };
        assert!(check_notice_minimum(&estate(false), 15).is_ok());
        assert!(check_notice_minimum(&estate(false), 14).is_err());
        assert!(check_notice_minimum(&estate(true), 0).is_ok());
    }

    #[test]
    fn a_notice_no_date_can_meet_is_refused_without_overflow() {
        let now = t("2026-01-01T00:00:00Z");
        assert!(check_notice(now, now + Duration::days(400), i64::MAX).is_err());
    }

    #[test]
    fn closing_early_needs_a_reason() {
        let close = t("2026-01-10T00:00:00Z");
        assert!(check_closing(close - Duration::hours(1), close, None).is_err());
        assert!(check_closing(close - Duration::hours(1), close, Some("  ")).is_err());
        assert!(
            check_closing(close - Duration::hours(1), close, Some("all members voted")).is_ok()
        );
        assert!(check_closing(close, close, None).is_ok());
    }
}
