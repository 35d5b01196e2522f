//! Extending the voting period of an open assembly that falls short of 2/3 (issue 19). The
//! secretary gives the new closing time and a reason; the estate's rules of procedure bound how
//! far voting may run past the original closing time (`max_extension_days`). Every member is
//! told (e-mail queued with the extension, a paper round for those without an address, the
//! owners' pages and the notice); ballots already cast stand; the extension is audited. Never
//! once voting has closed.

use chrono::{Duration, Utc};
use gongjue_store::Store;
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::extensions::{Extension, NewExtension};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Msg;
use crate::mail::compose::{Context, PaperOwner};
use crate::timetable;
use crate::usecases::setup::AssemblyOut;
use crate::usecases::setup::{assembly_out, readable_assembly, staff_assembly};
use crate::usecases::{Caller, StaffCaller, UseCaseError};

/// Longest reason kept with an extension (it is printed on the notice and e-mailed).
const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    /// The new closing time (RFC 3339): after the current one, and at most the estate's
    /// `max_extension_days` after the original one.
    pub closes_at: String,
    /// Why (e.g. participation is below 2/3), 1 to 500 characters: every owner is told it.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionOut {
    #[schema(format = DateTime)]
    pub from_closes_at: String,
    #[schema(format = DateTime)]
    pub to_closes_at: String,
    pub reason: String,
    #[schema(format = DateTime)]
    pub extended_at: String,
}

impl From<Extension> for ExtensionOut {
    fn from(e: Extension) -> Self {
        ExtensionOut {
            from_closes_at: e.from_closes_at,
            to_closes_at: e.to_closes_at,
            reason: e.reason,
            extended_at: e.extended_at,
        }
    }
}

/// An assembly's closing times: the original one, and every extension since.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionsOut {
    #[schema(format = DateTime)]
    pub original_closes_at: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    /// The latest closing time the estate's rules of procedure allow.
    #[schema(format = DateTime)]
    pub latest_closes_at: String,
    pub extensions: Vec<ExtensionOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtendOut {
    pub assembly: AssemblyOut,
    pub extension: ExtensionOut,
    #[schema(format = DateTime)]
    pub original_closes_at: String,
    /// Extension notices newly queued by e-mail.
    pub queued: usize,
    /// Members without an e-mail address: tell them on paper (the notice page prints it).
    pub paper_round: Vec<PaperOwner>,
}

/// The original closing time and the latest the estate allows.
fn bounds(
    store: &Store,
    estate_id: &str,
    closes_at: &str,
    extensions: &[Extension],
) -> Result<(String, String), UseCaseError> {
    let original = extensions
        .first()
        .map_or(closes_at, |e| e.from_closes_at.as_str())
        .to_owned();
    let days = store.estate(estate_id)?.max_extension_days;
    let latest = timetable::stored(&original)? + Duration::days(days);
    Ok((original, gongjue_store::timestamp(latest)))
}

/// The assembly's closing times, for staff of its estate and owners signed in for it.
pub fn extensions(
    store: &Store,
    caller: &Caller,
    assembly_id: &str,
) -> Result<ExtensionsOut, UseCaseError> {
    let (assembly, _) = readable_assembly(store, caller, assembly_id)?;
    let list = store.extensions(&assembly.id)?;
    let (original, latest) = bounds(store, &assembly.estate_id, &assembly.closes_at, &list)?;
    Ok(ExtensionsOut {
        original_closes_at: original,
        closes_at: assembly.closes_at,
        latest_closes_at: latest,
        extensions: list.into_iter().map(ExtensionOut::from).collect(),
    })
}

/// Extends the voting period of an open assembly (secretaries and admins of its estate).
pub fn extend(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    request: ExtendRequest,
    public_url: &str,
) -> Result<ExtendOut, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, true)?;
    if AssemblyState::parse(&assembly.state)? != AssemblyState::Open {
        return Err(UseCaseError::RuleInState {
            msg: Msg::ExtendOnlyWhileOpen,
            state: assembly.state,
        });
    }
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(UseCaseError::invalid(
            "reason",
            format!(
                "say why voting is extended (every owner is told), 1 to {MAX_REASON_CHARS} characters"
            ),
        ));
    }
    let to = timetable::parse("closes_at", &request.closes_at)?;
    let current = timetable::stored(&assembly.closes_at)?;
    if to <= current || to <= Utc::now() {
        return Err(UseCaseError::Invalid {
            msg: Msg::ExtensionNotLater,
            field: "closes_at".into(),
            detail: format!(
                "after the current closing time {} and after now",
                assembly.closes_at
            ),
        });
    }
    let list = store.extensions(&assembly.id)?;
    let (original, latest) = bounds(store, &assembly.estate_id, &assembly.closes_at, &list)?;
    let to = gongjue_store::timestamp(to);
    if to > latest {
        return Err(UseCaseError::Invalid {
            msg: Msg::ExtensionTooLong,
            field: "closes_at".into(),
            detail: format!(
                "the estate's rules of procedure allow voting to close at {latest} at the latest ({} days after the original closing time {original})",
                store.estate(&assembly.estate_id)?.max_extension_days
            ),
        });
    }
    let context = Context::load(store, &assembly.id, public_url)?;
    let mut notices = context.extensions(store, &to, reason)?;
    let extended = store.extend_assembly(
        &assembly.id,
        &NewExtension {
            to_closes_at: &to,
            reason,
            latest: &latest,
        },
        &staff.actor(),
        &mut notices,
    );
    if let Some(error) = notices.failure() {
        return Err(error); // nothing moved: the transaction rolled back
    }
    let (moved, extension) = extended.map_err(|e| match e {
        gongjue_store::StoreError::Conflict(why) if why.starts_with("assembly is ") => {
            UseCaseError::Rule(Msg::ExtendOnlyWhileOpen)
        }
        gongjue_store::StoreError::Conflict(_) => UseCaseError::Rule(Msg::ExtensionNotLater),
        other => other.into(),
    })?;
    let items = store.items(&moved.id)?;
    Ok(ExtendOut {
        assembly: assembly_out(moved, items),
        extension: extension.into(),
        original_closes_at: original,
        queued: notices.emails + notices.texts,
        paper_round: notices.paper,
    })
}
