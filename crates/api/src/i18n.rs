//! The one message catalogue: every text a user of the API reads, in zh-CN and en.
//!
//! The texts are Project Fluent files, one per language, that a translator edits without Rust:
//! `crates/api/locales/zh-CN/gongjue.ftl` and `crates/api/locales/en/gongjue.ftl`. They are built
//! into the binary (`include_str!`), so `gongjue` still needs no file at run time. Rust keeps
//! which messages exist (`Msg`), their codes (`Msg::code`: stable and machine-readable, what
//! clients match on; texts may be reworded freely) and the choice of language. A message's id in
//! the .ftl files is its code with each `.` written as `-` (a Fluent id has no dots): the code
//! `web.pub.title` is the message `web-pub-title`.
//!
//! Nothing here knows HTTP: the caller's language of a request is `crate::edge::lang_of`.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use gongjue_store::roster::IssueKind;
use strum::IntoEnumIterator;
use unic_langid::LanguageIdentifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Lang {
    ZhCn,
    En,
}

impl Lang {
    /// The language of a command-line tool: `--lang` if given, else the locale (`LC_ALL`,
    /// `LC_MESSAGES`, `LANG`, e.g. `en_US.UTF-8`); Chinese by default as for the API.
    pub fn for_cli(flag: Option<&str>) -> Lang {
        let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        let tag = flag.map(str::to_owned).or(env).unwrap_or_default();
        Lang::from_accept_language(&tag.replace('_', "-"))
    }

    /// The language of a stored preference (`zh-CN` or `en`).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "zh-cn" | "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The first language of an `Accept-Language` header that we speak; Chinese by default,
    /// because most users are owners and secretaries of Chinese estates.
    pub fn from_accept_language(header: &str) -> Lang {
        for tag in header.split(',') {
            let tag = tag
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("zh") {
                return Lang::ZhCn;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::ZhCn
    }

    /// The language's Fluent file, embedded at compile time (a new language: a new folder under
    /// `locales/`, a variant above, an arm here).
    fn source(self) -> &'static str {
        match self {
            Lang::ZhCn => include_str!("../locales/zh-CN/gongjue.ftl"),
            Lang::En => include_str!("../locales/en/gongjue.ftl"),
        }
    }

    fn catalogue(self) -> &'static Catalogue {
        match self {
            Lang::ZhCn => &ZH_CN,
            Lang::En => &EN,
        }
    }
}

/// Every user-facing message. Its code (`Msg::code`) is what clients match on; its text is in the
/// catalogue files under the same id (dots written as hyphens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Msg {
    Unauthenticated,
    BadToken,
    BadCredentials,
    BadCode,
    TooManyAttempts,
    Forbidden,
    OtherEstate,
    StaffOnly,
    OwnersOnly,
    ReadOnlyRole,
    MalformedBody,
    BodyTooLarge,
    UnknownField,
    InvalidValue,
    NoRoute,
    NotFound,
    Conflict,
    Unavailable,
    Internal,
    RosterInvalid,
    NoticeTooShort,
    NoticeBelowMinimum,
    TrialOnly,
    /// The marker of everything a trial estate produces: pages, notices, sheets, exports.
    TrialMark,
    /// The banner of a trial estate's pages.
    TrialBanner,
    VotingNotYetOpen,
    VotingClosed,
    ClosingEarly,
    ReceiptOutsideWindow,
    SamePersonConfirms,
    BallotNotChangeable,
    OwnBallotSupersedes,
    ConfirmedBallot,
    NotInElectorate,
    NoProxyForItem,
    ItemsOnlyInDraft,
    ResultBeforeClosing,
    EstateChoiceNeeded,
    InvalidChoice,
    // --- setup mistakes refused when made, and bounds of numbers ---
    ScopeUnknown,
    EmptyElectorate,
    ConcurrentWithoutGroups,
    CannotCount,
    ImpossibleSetup,
    OutOfRange,
    // --- audit/export: command line, two-stage publication, announcement (公告) ---
    CliNoKeys,
    CliKeyActive,
    CliKeyRetired,
    CliKeyRotated,
    CliChainIntact,
    CliChainBroken,
    CliBallotsMatch,
    CliBallotMismatch,
    CliEntries,
    CliEntry,
    CliNoEstate,
    NotClosedYet,
    ObjectionPeriodOver,
    ObjectionStillOpen,
    ObjectionsPerItemUsedUp,
    TooFrequent,
    ObjectionPeriodRunning,
    ObjectionsUnresolved,
    AlreadyFinal,
    ObjectionAlreadyResolved,
    CorrectionNeedsBallot,
    AnnouncementTitle,
    AnnPreliminary,
    AnnFinal,
    AnnItem,
    AnnOutcome,
    AnnMeasure,
    AnnArea,
    AnnHeads,
    AnnUnits,
    AnnShare,
    AnnTotal,
    AnnParticipation,
    AnnUnit,
    AnnOwner,
    AnnChoice,
    AnnChannel,
    AnnReceipt,
    AnnNoBallot,
    AnnRollPseudonymous,
    AnnObjectionsUntil,
    AnnYes,
    AnnNo,
    AnnAbstain,
    AnnInvalid,
    AnnPassed,
    AnnRejected,
    AnnNoQuorum,
    AnnValid,
    AnnElected,
    AnnSection,
    AnnFigures,
    AnnRoll,
    AnnPrinted,
    // Web pages (issue 5): owners' form and staff pages.
    WebAbstain,
    WebAppName,
    WebArea,
    WebAssemblies,
    WebBack,
    WebBackToSheet,
    WebBuilding,
    WebByBuilding,
    WebByZone,
    WebChangeChoices,
    WebChangeUntil,
    WebChannelPaper,
    WebChannelProxy,
    WebChannelWeb,
    WebClosesAt,
    WebCodeHelp,
    WebCodeLabel,
    WebConsultationRule,
    WebCsrf,
    WebDoneHelp,
    WebDoneTitle,
    WebEdit,
    WebEnterCode,
    WebErrorTitle,
    WebForMember,
    WebForYourself,
    WebHeads,
    WebHome,
    WebHomeIntro,
    WebInvalid,
    WebLogin,
    WebMarkUpTo,
    WebNext,
    WebNo,
    WebNoAssemblies,
    WebNoChoice,
    WebNoItems,
    WebNotOpenYet,
    WebNotVoted,
    WebNotVotedYet,
    WebNotYetCounted,
    WebNothingChosen,
    WebPassword,
    WebPickUpTo,
    WebQuorumLine,
    WebReceipt,
    WebRecordIntro,
    WebRecorded,
    WebReviewTitle,
    WebRuleLabel,
    WebSheetChanged,
    WebSignIn,
    WebSignOut,
    WebStaffSignIn,
    WebStartVoting,
    WebStateAnnounced,
    WebStateCancelled,
    WebStateClosed,
    WebStateDraft,
    WebStateOpen,
    WebSubmit,
    WebSubmitHelp,
    WebToReview,
    WebTooManyMarks,
    WebTurnout,
    WebYes,
    WebYourChoice,
    WebUnitNotFound,
    WebPaperTitle,
    WebPaperEntered,
    WebReceivedInvalid,
    WebConfirmed,
    WebConfirmQueue,
    WebUnit,
    WebSearch,
    WebReceivedAt,
    WebScanRef,
    WebCorrectionReason,
    WebEnterPaper,
    WebConfirmHelp,
    WebConfirm,
    WebQueueEmpty,
    WebRosterTitle,
    WebRosterNow,
    WebUnitsWord,
    WebNoFile,
    WebLine,
    WebColumn,
    WebProblem,
    WebImported,
    WebAdded,
    WebRemoved,
    WebChanged,
    WebNoteWord,
    WebRosterFile,
    WebRosterHelp,
    WebImport,
    WebNewAssembly,
    WebTitle,
    WebOpensAt,
    WebClosesAtLabel,
    WebNoticeDays,
    WebObjectionDays,
    WebObjectionMinutes,
    WebPublicRoll,
    WebChangeable,
    WebCreate,
    WebMotion,
    WebElection,
    WebConsultation,
    WebZones,
    WebBuildings,
    WebStairwells,
    WebWholeEstate,
    WebSeats,
    WebItems,
    WebNoItemsYet,
    WebAddItem,
    WebKind,
    WebFullText,
    WebMatter,
    WebCandidates,
    WebQuestions,
    WebScope,
    WebAnnounceHelp,
    WebAnnounce,
    WebOpen,
    WebCloseReason,
    WebClose,
    WebPassed,
    WebRejected,
    WebNoQuorum,
    WebElected,
    WebTie,
    WebUnfilled,
    WebConsulted,
    WebResults,
    WebAnnouncementLink,
    WebParticipants,
    WebNotice,
    WebAnnouncedAt,
    WebHowToVote,
    WebAgenda,
    WebBallotSheets,
    WebPrintHelp,
    WebSignature,
    WebPrint,
    WebReissueWarning,
    WebWholeAssembly,
    WebSomeItems,
    WebProxies,
    WebDocumentRef,
    WebNoProxies,
    WebRecordProxy,
    WebProxyMember,
    WebProxyHolder,
    WebProxyItems,
    WebEstateId,
    WebLiveHelp,
    WebOutcome,
    // --- web: publication pages ---
    WebPubTitle,
    WebPubPreliminary,
    WebPubFinal,
    WebPubRecordLink,
    WebPubYourRecord,
    WebPubUnits,
    WebPubObject,
    WebPubObjectHelp,
    WebPubObjectionItem,
    WebPubObjectionText,
    WebPubObjectionFiled,
    WebPubYourObjections,
    WebPubStatusOpen,
    WebPubStatusRejected,
    WebPubStatusCorrected,
    WebPubReason,
    WebPubRollLink,
    WebPubRollTitle,
    WebPubRollHelp,
    WebPubYourUnit,
    WebPubObjections,
    WebPubNoObjections,
    WebPubFiledAt,
    WebPubReject,
    WebPubCorrect,
    WebPubCorrectionBallot,
    WebPubNoCorrectionBallot,
    WebPubEnterCorrection,
    WebPubCorrectionFor,
    WebPubResolve,
    WebPubResolveReason,
    WebPubResolved,
    WebPubPublishFinal,
    WebPubCannotPublish,
    WebPubPublished,
    WebPubDownloads,
    WebPubDownloadsLater,
    WebPubAnnouncementCsv,
    WebPubOwner,
    // --- hardening: backups ---
    CliBackupDone,
    CliBackupSecret,
    CliBackupExists,
    CliBackupPostgres,
    // Notices by e-mail (issue 6): subjects, words of the messages, refusals of the routes.
    MailAnnouncement,
    MailInvitation,
    MailReminder,
    MailResult,
    MailBallotRecorded,
    MailDearOwner,
    ItemMotion,
    ItemElection,
    ItemConsultation,
    OutcomePassed,
    OutcomeRejected,
    OutcomeNoQuorum,
    OutcomeElected,
    OutcomeNobodyElected,
    OutcomeCounted,
    ChannelPaper,
    ChannelProxy,
    RemindersOnlyWhileOpen,
    // --- web: notices by e-mail pages (issue 6) ---
    WebMailNotices,
    WebMailOutbox,
    WebMailRemind,
    WebMailRemindHelp,
    WebMailPublish,
    WebMailPublishHelp,
    WebMailQueued,
    WebMailEmailed,
    WebMailNothingNew,
    WebMailPaperRound,
    WebMailPaperHelp,
    WebMailNoPaper,
    WebMailDelivered,
    WebMailPreview,
    WebMailKind,
    WebMailMember,
    WebMailLanguage,
    WebMailOwnersLanguage,
    WebMailShow,
    WebMailSubject,
    WebMailTextBody,
    WebMailHtmlBody,
    WebMailRecipient,
    WebMailNoAddress,
    WebMailStatus,
    WebMailAll,
    WebMailPending,
    WebMailSent,
    WebMailFailed,
    WebMailAttempts,
    WebMailLastError,
    WebMailQueuedAt,
    WebMailSentAt,
    WebMailNextAttempt,
    WebMailFailedAlert,
    WebMailEmpty,
    WebMailFilter,
    WebMailThisAssembly,
    // privacy
    PrivacyContacts,
    PrivacyMessages,
    PrivacyMailFiles,
    PrivacyNeededUntil,
    PrivacyErased,
    PrivacyDryRun,
    PrivacyNothingDue,
    PrivacyKeptUntilNextRoster,
    PrivacyErasedRecipient,
    // hostile
    StorageFull,
    CliBackupNoSpace,
    // Finding things again (issue 15 item 6): sessions, the sheet of a draft, cancelling.
    SessionTooOld,
    ItemsFixed,
    ItemNamedByProxy,
    NoItemsToAnnounce,
    CancelNotAllowed,
    MailCancellation,
    // Lines of a roster file (`roster_issue`).
    RosterNotText,
    RosterUnreadable,
    RosterNoHeader,
    RosterAmbiguousColumn,
    RosterNoUnits,
    RosterBuildingMissing,
    RosterRoomMissing,
    RosterAreaMissing,
    RosterAreaNotPositive,
    RosterAreaTooManyDecimals,
    RosterAreaNotANumber,
    RosterAreaTooLarge,
    RosterFloorNotANumber,
    RosterDuplicateUnit,
    RosterOwnerIdMissing,
    RosterEmailMalformed,
    RosterControlCharacter,
    RosterBidiControl,
    RosterOwnerNamedTwice,
    RosterBlankLine,
    RosterAboveHeader,
    RosterRepeatedHeader,
    RosterTotalRow,
    // The nine matters of Civil Code art. 278 para. 1 (`matter_name`).
    Matter1,
    Matter2,
    Matter3,
    Matter4,
    Matter5,
    Matter6,
    Matter7,
    Matter8,
    Matter9,
    // The rule of an item in words (`web::words`).
    RuleArea,
    RuleHeads,
    RuleUnits,
    RuleMeasuresAnd,
    RuleMoreThan,
    RuleMoreThanHalf,
    RuleAtLeast,
    RuleParticipation,
    RuleApprovalParticipating,
    RuleApprovalTotal,
    RuleClausesAnd,
    RuleSentence,
    /// Between the items of a list in running text.
    ListSeparator,
}

impl Msg {
    /// The stable, machine-readable code: what clients match on, never changed once published.
    pub fn code(self) -> &'static str {
        match self {
            Msg::Unauthenticated => "unauthenticated",
            Msg::BadToken => "bad_token",
            Msg::BadCredentials => "bad_credentials",
            Msg::BadCode => "bad_code",
            Msg::TooManyAttempts => "too_many_attempts",
            Msg::Forbidden => "forbidden",
            Msg::OtherEstate => "other_estate",
            Msg::StaffOnly => "staff_only",
            Msg::OwnersOnly => "owners_only",
            Msg::ReadOnlyRole => "read_only_role",
            Msg::MalformedBody => "malformed_body",
            Msg::BodyTooLarge => "body_too_large",
            Msg::UnknownField => "unknown_field",
            Msg::InvalidValue => "invalid_value",
            Msg::NoRoute => "no_route",
            Msg::NotFound => "not_found",
            Msg::Conflict => "conflict",
            Msg::Unavailable => "unavailable",
            Msg::Internal => "internal",
            Msg::RosterInvalid => "roster_invalid",
            Msg::NoticeTooShort => "notice_too_short",
            Msg::NoticeBelowMinimum => "notice_below_minimum",
            Msg::TrialOnly => "trial_only",
            Msg::TrialMark => "trial",
            Msg::TrialBanner => "trial_banner",
            Msg::VotingNotYetOpen => "voting_not_open",
            Msg::VotingClosed => "voting_closed",
            Msg::ClosingEarly => "closing_early",
            Msg::ReceiptOutsideWindow => "receipt_outside_window",
            Msg::SamePersonConfirms => "same_person_confirms",
            Msg::BallotNotChangeable => "ballot_not_changeable",
            Msg::OwnBallotSupersedes => "own_ballot_supersedes",
            Msg::ConfirmedBallot => "confirmed_ballot",
            Msg::NotInElectorate => "not_in_electorate",
            Msg::NoProxyForItem => "no_proxy",
            Msg::ItemsOnlyInDraft => "items_only_in_draft",
            Msg::ResultBeforeClosing => "result_before_closing",
            Msg::EstateChoiceNeeded => "estate_needed",
            Msg::InvalidChoice => "invalid_choice",
            Msg::ScopeUnknown => "scope_unknown",
            Msg::EmptyElectorate => "empty_electorate",
            Msg::ConcurrentWithoutGroups => "concurrent_without_groups",
            Msg::CannotCount => "setup_cannot_count",
            Msg::ImpossibleSetup => "impossible_setup",
            Msg::OutOfRange => "out_of_range",
            Msg::CliNoKeys => "cli_no_keys",
            Msg::CliKeyActive => "cli_key_active",
            Msg::CliKeyRetired => "cli_key_retired",
            Msg::CliKeyRotated => "cli_key_rotated",
            Msg::CliChainIntact => "cli_chain_intact",
            Msg::CliChainBroken => "cli_chain_broken",
            Msg::CliBallotsMatch => "cli_ballots_match",
            Msg::CliBallotMismatch => "cli_ballot_mismatch",
            Msg::CliEntries => "cli_entries",
            Msg::CliEntry => "cli_entry",
            Msg::CliNoEstate => "cli_no_estate",
            Msg::NotClosedYet => "not_closed_yet",
            Msg::ObjectionPeriodOver => "objection_period_over",
            Msg::ObjectionStillOpen => "objection_still_open",
            Msg::ObjectionsPerItemUsedUp => "objections_per_item_used_up",
            Msg::TooFrequent => "too_frequent",
            Msg::ObjectionPeriodRunning => "objection_period_running",
            Msg::ObjectionsUnresolved => "objections_unresolved",
            Msg::AlreadyFinal => "already_final",
            Msg::ObjectionAlreadyResolved => "objection_resolved",
            Msg::CorrectionNeedsBallot => "correction_needs_ballot",
            Msg::AnnouncementTitle => "ann_title",
            Msg::AnnPreliminary => "ann_preliminary",
            Msg::AnnFinal => "ann_final",
            Msg::AnnItem => "ann_item",
            Msg::AnnOutcome => "ann_outcome",
            Msg::AnnMeasure => "ann_measure",
            Msg::AnnArea => "ann_area",
            Msg::AnnHeads => "ann_heads",
            Msg::AnnUnits => "ann_units",
            Msg::AnnShare => "ann_share",
            Msg::AnnTotal => "ann_total",
            Msg::AnnParticipation => "ann_participation",
            Msg::AnnUnit => "ann_unit",
            Msg::AnnOwner => "ann_owner",
            Msg::AnnChoice => "ann_choice",
            Msg::AnnChannel => "ann_channel",
            Msg::AnnReceipt => "ann_receipt",
            Msg::AnnNoBallot => "ann_no_ballot",
            Msg::AnnRollPseudonymous => "ann_roll_pseudonymous",
            Msg::AnnObjectionsUntil => "ann_objections_until",
            Msg::AnnYes => "ann_yes",
            Msg::AnnNo => "ann_no",
            Msg::AnnAbstain => "ann_abstain",
            Msg::AnnInvalid => "ann_invalid",
            Msg::AnnPassed => "ann_passed",
            Msg::AnnRejected => "ann_rejected",
            Msg::AnnNoQuorum => "ann_no_quorum",
            Msg::AnnValid => "ann_valid",
            Msg::AnnElected => "ann_elected",
            Msg::AnnSection => "ann_section",
            Msg::AnnFigures => "ann_figures",
            Msg::AnnRoll => "ann_roll",
            Msg::AnnPrinted => "ann_printed",
            Msg::WebAbstain => "web.abstain",
            Msg::WebAppName => "web.app_name",
            Msg::WebArea => "web.area",
            Msg::WebAssemblies => "web.assemblies",
            Msg::WebBack => "web.back",
            Msg::WebBackToSheet => "web.back_to_sheet",
            Msg::WebBuilding => "web.building",
            Msg::WebByBuilding => "web.by_building",
            Msg::WebByZone => "web.by_zone",
            Msg::WebChangeChoices => "web.change_choices",
            Msg::WebChangeUntil => "web.change_until",
            Msg::WebChannelPaper => "web.channel_paper",
            Msg::WebChannelProxy => "web.channel_proxy",
            Msg::WebChannelWeb => "web.channel_web",
            Msg::WebClosesAt => "web.closes_at",
            Msg::WebCodeHelp => "web.code_help",
            Msg::WebCodeLabel => "web.code_label",
            Msg::WebConsultationRule => "web.consultation_rule",
            Msg::WebCsrf => "web.csrf",
            Msg::WebDoneHelp => "web.done_help",
            Msg::WebDoneTitle => "web.done_title",
            Msg::WebEdit => "web.edit",
            Msg::WebEnterCode => "web.enter_code",
            Msg::WebErrorTitle => "web.error_title",
            Msg::WebForMember => "web.for_member",
            Msg::WebForYourself => "web.for_yourself",
            Msg::WebHeads => "web.heads",
            Msg::WebHome => "web.home",
            Msg::WebHomeIntro => "web.home_intro",
            Msg::WebInvalid => "web.invalid",
            Msg::WebLogin => "web.login",
            Msg::WebMarkUpTo => "web.mark_up_to",
            Msg::WebNext => "web.next",
            Msg::WebNo => "web.no",
            Msg::WebNoAssemblies => "web.no_assemblies",
            Msg::WebNoChoice => "web.no_choice",
            Msg::WebNoItems => "web.no_items",
            Msg::WebNotOpenYet => "web.not_open_yet",
            Msg::WebNotVoted => "web.not_voted",
            Msg::WebNotVotedYet => "web.not_voted_yet",
            Msg::WebNotYetCounted => "web.not_yet_counted",
            Msg::WebNothingChosen => "web.nothing_chosen",
            Msg::WebPassword => "web.password",
            Msg::WebPickUpTo => "web.pick_up_to",
            Msg::WebQuorumLine => "web.quorum_line",
            Msg::WebReceipt => "web.receipt",
            Msg::WebRecordIntro => "web.record_intro",
            Msg::WebRecorded => "web.recorded",
            Msg::WebReviewTitle => "web.review_title",
            Msg::WebRuleLabel => "web.rule_label",
            Msg::WebSheetChanged => "web.sheet_changed",
            Msg::WebSignIn => "web.sign_in",
            Msg::WebSignOut => "web.sign_out",
            Msg::WebStaffSignIn => "web.staff_sign_in",
            Msg::WebStartVoting => "web.start_voting",
            Msg::WebStateAnnounced => "web.state_announced",
            Msg::WebStateCancelled => "web.state_cancelled",
            Msg::WebStateClosed => "web.state_closed",
            Msg::WebStateDraft => "web.state_draft",
            Msg::WebStateOpen => "web.state_open",
            Msg::WebSubmit => "web.submit",
            Msg::WebSubmitHelp => "web.submit_help",
            Msg::WebToReview => "web.to_review",
            Msg::WebTooManyMarks => "web.too_many_marks",
            Msg::WebTurnout => "web.turnout",
            Msg::WebYes => "web.yes",
            Msg::WebYourChoice => "web.your_choice",
            Msg::WebUnitNotFound => "web.unit_not_found",
            Msg::WebPaperTitle => "web.paper_title",
            Msg::WebPaperEntered => "web.paper_entered",
            Msg::WebReceivedInvalid => "web.received_invalid",
            Msg::WebConfirmed => "web.confirmed",
            Msg::WebConfirmQueue => "web.confirm_queue",
            Msg::WebUnit => "web.unit",
            Msg::WebSearch => "web.search",
            Msg::WebReceivedAt => "web.received_at",
            Msg::WebScanRef => "web.scan_ref",
            Msg::WebCorrectionReason => "web.correction_reason",
            Msg::WebEnterPaper => "web.enter_paper",
            Msg::WebConfirmHelp => "web.confirm_help",
            Msg::WebConfirm => "web.confirm",
            Msg::WebQueueEmpty => "web.queue_empty",
            Msg::WebRosterTitle => "web.roster_title",
            Msg::WebRosterNow => "web.roster_now",
            Msg::WebUnitsWord => "web.units_word",
            Msg::WebNoFile => "web.no_file",
            Msg::WebLine => "web.line",
            Msg::WebColumn => "web.column",
            Msg::WebProblem => "web.problem",
            Msg::WebImported => "web.imported",
            Msg::WebAdded => "web.added",
            Msg::WebRemoved => "web.removed",
            Msg::WebChanged => "web.changed",
            Msg::WebNoteWord => "web.note_word",
            Msg::WebRosterFile => "web.roster_file",
            Msg::WebRosterHelp => "web.roster_help",
            Msg::WebImport => "web.import",
            Msg::WebNewAssembly => "web.new_assembly",
            Msg::WebTitle => "web.title",
            Msg::WebOpensAt => "web.opens_at",
            Msg::WebClosesAtLabel => "web.closes_at_label",
            Msg::WebNoticeDays => "web.notice_days",
            Msg::WebObjectionDays => "web.objection_days",
            Msg::WebObjectionMinutes => "web.objection_minutes",
            Msg::WebPublicRoll => "web.public_roll",
            Msg::WebChangeable => "web.changeable",
            Msg::WebCreate => "web.create",
            Msg::WebMotion => "web.motion",
            Msg::WebElection => "web.election",
            Msg::WebConsultation => "web.consultation",
            Msg::WebZones => "web.zones",
            Msg::WebBuildings => "web.buildings",
            Msg::WebStairwells => "web.stairwells",
            Msg::WebWholeEstate => "web.whole_estate",
            Msg::WebSeats => "web.seats",
            Msg::WebItems => "web.items",
            Msg::WebNoItemsYet => "web.no_items_yet",
            Msg::WebAddItem => "web.add_item",
            Msg::WebKind => "web.kind",
            Msg::WebFullText => "web.full_text",
            Msg::WebMatter => "web.matter",
            Msg::WebCandidates => "web.candidates",
            Msg::WebQuestions => "web.questions",
            Msg::WebScope => "web.scope",
            Msg::WebAnnounceHelp => "web.announce_help",
            Msg::WebAnnounce => "web.announce",
            Msg::WebOpen => "web.open",
            Msg::WebCloseReason => "web.close_reason",
            Msg::WebClose => "web.close",
            Msg::WebPassed => "web.passed",
            Msg::WebRejected => "web.rejected",
            Msg::WebNoQuorum => "web.no_quorum",
            Msg::WebElected => "web.elected",
            Msg::WebTie => "web.tie",
            Msg::WebUnfilled => "web.unfilled",
            Msg::WebConsulted => "web.consulted",
            Msg::WebResults => "web.results",
            Msg::WebAnnouncementLink => "web.announcement_link",
            Msg::WebParticipants => "web.participants",
            Msg::WebNotice => "web.notice",
            Msg::WebAnnouncedAt => "web.announced_at",
            Msg::WebHowToVote => "web.how_to_vote",
            Msg::WebAgenda => "web.agenda",
            Msg::WebBallotSheets => "web.ballot_sheets",
            Msg::WebPrintHelp => "web.print_help",
            Msg::WebSignature => "web.signature",
            Msg::WebPrint => "web.print",
            Msg::WebReissueWarning => "web.reissue_warning",
            Msg::WebWholeAssembly => "web.whole_assembly",
            Msg::WebSomeItems => "web.some_items",
            Msg::WebProxies => "web.proxies",
            Msg::WebDocumentRef => "web.document_ref",
            Msg::WebNoProxies => "web.no_proxies",
            Msg::WebRecordProxy => "web.record_proxy",
            Msg::WebProxyMember => "web.proxy_member",
            Msg::WebProxyHolder => "web.proxy_holder",
            Msg::WebProxyItems => "web.proxy_items",
            Msg::WebEstateId => "web.estate_id",
            Msg::WebLiveHelp => "web.live_help",
            Msg::WebOutcome => "web.outcome",
            Msg::WebPubTitle => "web.pub.title",
            Msg::WebPubPreliminary => "web.pub.preliminary",
            Msg::WebPubFinal => "web.pub.final",
            Msg::WebPubRecordLink => "web.pub.record_link",
            Msg::WebPubYourRecord => "web.pub.your_record",
            Msg::WebPubUnits => "web.pub.units",
            Msg::WebPubObject => "web.pub.object",
            Msg::WebPubObjectHelp => "web.pub.object_help",
            Msg::WebPubObjectionItem => "web.pub.objection_item",
            Msg::WebPubObjectionText => "web.pub.objection_text",
            Msg::WebPubObjectionFiled => "web.pub.objection_filed",
            Msg::WebPubYourObjections => "web.pub.your_objections",
            Msg::WebPubStatusOpen => "web.pub.status_open",
            Msg::WebPubStatusRejected => "web.pub.status_rejected",
            Msg::WebPubStatusCorrected => "web.pub.status_corrected",
            Msg::WebPubReason => "web.pub.reason",
            Msg::WebPubRollLink => "web.pub.roll_link",
            Msg::WebPubRollTitle => "web.pub.roll_title",
            Msg::WebPubRollHelp => "web.pub.roll_help",
            Msg::WebPubYourUnit => "web.pub.your_unit",
            Msg::WebPubObjections => "web.pub.objections",
            Msg::WebPubNoObjections => "web.pub.no_objections",
            Msg::WebPubFiledAt => "web.pub.filed_at",
            Msg::WebPubReject => "web.pub.reject",
            Msg::WebPubCorrect => "web.pub.correct",
            Msg::WebPubCorrectionBallot => "web.pub.correction_ballot",
            Msg::WebPubNoCorrectionBallot => "web.pub.no_correction_ballot",
            Msg::WebPubEnterCorrection => "web.pub.enter_correction",
            Msg::WebPubCorrectionFor => "web.pub.correction_for",
            Msg::WebPubResolve => "web.pub.resolve",
            Msg::WebPubResolveReason => "web.pub.resolve_reason",
            Msg::WebPubResolved => "web.pub.resolved",
            Msg::WebPubPublishFinal => "web.pub.publish_final",
            Msg::WebPubCannotPublish => "web.pub.cannot_publish",
            Msg::WebPubPublished => "web.pub.published",
            Msg::WebPubDownloads => "web.pub.downloads",
            Msg::WebPubDownloadsLater => "web.pub.downloads_later",
            Msg::WebPubAnnouncementCsv => "web.pub.announcement_csv",
            Msg::WebPubOwner => "web.pub.owner",
            Msg::CliBackupDone => "cli_backup_done",
            Msg::CliBackupSecret => "cli_backup_secret",
            Msg::CliBackupExists => "cli_backup_exists",
            Msg::CliBackupPostgres => "cli_backup_postgres",
            Msg::MailAnnouncement => "mail_announcement",
            Msg::MailInvitation => "mail_invitation",
            Msg::MailReminder => "mail_reminder",
            Msg::MailResult => "mail_result",
            Msg::MailBallotRecorded => "mail_ballot_recorded",
            Msg::MailDearOwner => "mail_dear_owner",
            Msg::ItemMotion => "item_motion",
            Msg::ItemElection => "item_election",
            Msg::ItemConsultation => "item_consultation",
            Msg::OutcomePassed => "outcome_passed",
            Msg::OutcomeRejected => "outcome_rejected",
            Msg::OutcomeNoQuorum => "outcome_no_quorum",
            Msg::OutcomeElected => "outcome_elected",
            Msg::OutcomeNobodyElected => "outcome_nobody_elected",
            Msg::OutcomeCounted => "outcome_counted",
            Msg::ChannelPaper => "channel_paper",
            Msg::ChannelProxy => "channel_proxy",
            Msg::RemindersOnlyWhileOpen => "reminders_only_while_open",
            Msg::WebMailNotices => "web.mail.notices",
            Msg::WebMailOutbox => "web.mail.outbox",
            Msg::WebMailRemind => "web.mail.remind",
            Msg::WebMailRemindHelp => "web.mail.remind_help",
            Msg::WebMailPublish => "web.mail.publish",
            Msg::WebMailPublishHelp => "web.mail.publish_help",
            Msg::WebMailQueued => "web.mail.queued",
            Msg::WebMailEmailed => "web.mail.emailed",
            Msg::WebMailNothingNew => "web.mail.nothing_new",
            Msg::WebMailPaperRound => "web.mail.paper_round",
            Msg::WebMailPaperHelp => "web.mail.paper_help",
            Msg::WebMailNoPaper => "web.mail.no_paper",
            Msg::WebMailDelivered => "web.mail.delivered",
            Msg::WebMailPreview => "web.mail.preview",
            Msg::WebMailKind => "web.mail.kind",
            Msg::WebMailMember => "web.mail.member",
            Msg::WebMailLanguage => "web.mail.language",
            Msg::WebMailOwnersLanguage => "web.mail.owners_language",
            Msg::WebMailShow => "web.mail.show",
            Msg::WebMailSubject => "web.mail.subject",
            Msg::WebMailTextBody => "web.mail.text_body",
            Msg::WebMailHtmlBody => "web.mail.html_body",
            Msg::WebMailRecipient => "web.mail.recipient",
            Msg::WebMailNoAddress => "web.mail.no_address",
            Msg::WebMailStatus => "web.mail.status",
            Msg::WebMailAll => "web.mail.all",
            Msg::WebMailPending => "web.mail.pending",
            Msg::WebMailSent => "web.mail.sent",
            Msg::WebMailFailed => "web.mail.failed",
            Msg::WebMailAttempts => "web.mail.attempts",
            Msg::WebMailLastError => "web.mail.last_error",
            Msg::WebMailQueuedAt => "web.mail.queued_at",
            Msg::WebMailSentAt => "web.mail.sent_at",
            Msg::WebMailNextAttempt => "web.mail.next_attempt",
            Msg::WebMailFailedAlert => "web.mail.failed_alert",
            Msg::WebMailEmpty => "web.mail.empty",
            Msg::WebMailFilter => "web.mail.filter",
            Msg::WebMailThisAssembly => "web.mail.this_assembly",
            Msg::PrivacyContacts => "privacy.contacts",
            Msg::PrivacyMessages => "privacy.messages",
            Msg::PrivacyMailFiles => "privacy.mail_files",
            Msg::PrivacyNeededUntil => "privacy.needed_until",
            Msg::PrivacyErased => "privacy.erased",
            Msg::PrivacyDryRun => "privacy.dry_run",
            Msg::PrivacyNothingDue => "privacy.nothing_due",
            Msg::PrivacyKeptUntilNextRoster => "privacy.kept_until_next_roster",
            Msg::PrivacyErasedRecipient => "privacy.erased_recipient",
            Msg::StorageFull => "storage_full",
            Msg::CliBackupNoSpace => "cli_backup_no_space",
            Msg::SessionTooOld => "session_too_old",
            Msg::ItemsFixed => "items_fixed",
            Msg::ItemNamedByProxy => "item_named_by_proxy",
            Msg::NoItemsToAnnounce => "no_items_to_announce",
            Msg::CancelNotAllowed => "cancel_not_allowed",
            Msg::MailCancellation => "mail_cancellation",
            Msg::RosterNotText => "roster.not_text",
            Msg::RosterUnreadable => "roster.unreadable",
            Msg::RosterNoHeader => "roster.no_header",
            Msg::RosterAmbiguousColumn => "roster.ambiguous_column",
            Msg::RosterNoUnits => "roster.no_units",
            Msg::RosterBuildingMissing => "roster.building_missing",
            Msg::RosterRoomMissing => "roster.room_missing",
            Msg::RosterAreaMissing => "roster.area_missing",
            Msg::RosterAreaNotPositive => "roster.area_not_positive",
            Msg::RosterAreaTooManyDecimals => "roster.area_too_many_decimals",
            Msg::RosterAreaNotANumber => "roster.area_not_a_number",
            Msg::RosterAreaTooLarge => "roster.area_too_large",
            Msg::RosterFloorNotANumber => "roster.floor_not_a_number",
            Msg::RosterDuplicateUnit => "roster.duplicate_unit",
            Msg::RosterOwnerIdMissing => "roster.owner_id_missing",
            Msg::RosterEmailMalformed => "roster.email_malformed",
            Msg::RosterControlCharacter => "roster.control_character",
            Msg::RosterBidiControl => "roster.bidi_control",
            Msg::RosterOwnerNamedTwice => "roster.owner_named_twice",
            Msg::RosterBlankLine => "roster.blank_line",
            Msg::RosterAboveHeader => "roster.above_header",
            Msg::RosterRepeatedHeader => "roster.repeated_header",
            Msg::RosterTotalRow => "roster.total_row",
            Msg::Matter1 => "matter.1",
            Msg::Matter2 => "matter.2",
            Msg::Matter3 => "matter.3",
            Msg::Matter4 => "matter.4",
            Msg::Matter5 => "matter.5",
            Msg::Matter6 => "matter.6",
            Msg::Matter7 => "matter.7",
            Msg::Matter8 => "matter.8",
            Msg::Matter9 => "matter.9",
            Msg::RuleArea => "rule.area",
            Msg::RuleHeads => "rule.heads",
            Msg::RuleUnits => "rule.units",
            Msg::RuleMeasuresAnd => "rule.measures_and",
            Msg::RuleMoreThan => "rule.more_than",
            Msg::RuleMoreThanHalf => "rule.more_than_half",
            Msg::RuleAtLeast => "rule.at_least",
            Msg::RuleParticipation => "rule.participation",
            Msg::RuleApprovalParticipating => "rule.approval_participating",
            Msg::RuleApprovalTotal => "rule.approval_total",
            Msg::RuleClausesAnd => "rule.clauses_and",
            Msg::RuleSentence => "rule.sentence",
            Msg::ListSeparator => "list_separator",
        }
    }

    /// The message's id in the .ftl files: its code with each `.` written as `-`.
    fn fluent_id(self) -> String {
        self.code().replace('.', "-")
    }

    /// The text of a message without variables. A message with variables (`{ $n }` in the
    /// catalogue) is read with `text_with`; here it would show its variables' names.
    pub fn text(self, lang: Lang) -> &'static str {
        lang.catalogue()
            .texts
            .get(&self)
            .map_or_else(|| self.code(), String::as_str)
    }

    /// The text of a message with its variables, e.g.
    /// `Msg::WebMarkUpTo.text_with(lang, &[("n", seats.into())])` for `最多可选 { $n } 人`.
    pub fn text_with(self, lang: Lang, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        lang.catalogue().format(self, Some(&fluent_args))
    }
}

/// The value of a message's variable: a text as it is, or a number, which a translation may also
/// use to pick a variant (`{ $n -> [one] … *[other] … }`). Numbers are written as plain digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(text)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(text)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Number(i64::from(n))
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl<'a> From<Arg<'a>> for FluentValue<'a> {
    fn from(arg: Arg<'a>) -> Self {
        match arg {
            Arg::Text(text) => FluentValue::from(text),
            Arg::Number(n) => FluentValue::from(n),
        }
    }
}

/// One language of the catalogue.
struct Catalogue {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    /// Every message formatted once without variables, so that `Msg::text` can hand out
    /// `&'static str` as before the catalogue moved to Fluent: the map lives in a `static` for
    /// the life of the process and is bounded by the catalogue (a few hundred texts per
    /// language), built at the first use of the language and never grown after.
    texts: HashMap<Msg, String>,
}

static ZH_CN: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::load(Lang::ZhCn));
static EN: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::load(Lang::En));

impl Catalogue {
    fn load(lang: Lang) -> Catalogue {
        // "zh-CN" and "en" are well-formed; the locale only picks the plural rules.
        let locale: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // Fluent wraps every value it puts into a text in Unicode isolation marks (U+2068 …
        // U+2069) unless told not to. Both languages run left to right, and the texts end in CSV
        // files, e-mails and pages, where invisible bidirectional controls are refused.
        bundle.set_use_isolating(false);
        // The tests refuse a file that does not parse whole; should one slip through, the
        // entries that parse are used and the others read as their codes.
        let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(
            |(resource, errors)| {
                tracing::error!(
                    lang = lang.tag(),
                    ?errors,
                    "the message catalogue has errors"
                );
                resource
            },
        );
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(
                lang = lang.tag(),
                ?errors,
                "the message catalogue has errors"
            );
        }
        let mut catalogue = Catalogue {
            lang,
            bundle,
            texts: HashMap::new(),
        };
        catalogue.texts = Msg::iter()
            .map(|m| (m, catalogue.format(m, None)))
            .collect();
        catalogue
    }

    /// A message in this language; its code if the catalogue lacks it (the tests see to it
    /// that none is missing).
    fn format(&self, msg: Msg, args: Option<&FluentArgs<'_>>) -> String {
        let id = msg.fluent_id();
        let Some(pattern) = self.bundle.get_message(&id).and_then(|m| m.value()) else {
            tracing::error!(
                lang = self.lang.tag(),
                id,
                "no such message in the catalogue"
            );
            return msg.code().to_owned();
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        // Without arguments (the texts of `Msg::text`) a message with variables is expected to
        // miss them.
        if args.is_some() && !errors.is_empty() {
            tracing::error!(
                lang = self.lang.tag(),
                id,
                ?errors,
                "a message did not format"
            );
        }
        text.into_owned()
    }
}

/// A roster line error in the reader's language (the store keeps them structured for this).
pub fn roster_issue(kind: &IssueKind, lang: Lang) -> String {
    let text = |msg: Msg| msg.text(lang).to_owned();
    match kind {
        IssueKind::NotText => text(Msg::RosterNotText),
        IssueKind::Unreadable(reason) => {
            Msg::RosterUnreadable.text_with(lang, &[("reason", reason.into())])
        }
        IssueKind::NoHeader { missing } => {
            let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
            let missing = names.join(Msg::ListSeparator.text(lang));
            Msg::RosterNoHeader.text_with(lang, &[("missing", (&missing).into())])
        }
        IssueKind::AmbiguousColumn { field, first } => Msg::RosterAmbiguousColumn.text_with(
            lang,
            &[
                ("field", (&field.to_string()).into()),
                ("first", first.into()),
            ],
        ),
        IssueKind::NoUnits => text(Msg::RosterNoUnits),
        IssueKind::BuildingMissing => text(Msg::RosterBuildingMissing),
        IssueKind::RoomMissing => text(Msg::RosterRoomMissing),
        IssueKind::AreaMissing => text(Msg::RosterAreaMissing),
        IssueKind::AreaNotPositive => text(Msg::RosterAreaNotPositive),
        IssueKind::AreaTooManyDecimals => text(Msg::RosterAreaTooManyDecimals),
        IssueKind::AreaNotANumber => text(Msg::RosterAreaNotANumber),
        IssueKind::AreaTooLarge => text(Msg::RosterAreaTooLarge),
        IssueKind::FloorNotANumber => text(Msg::RosterFloorNotANumber),
        IssueKind::DuplicateUnit { unit, first_line } => Msg::RosterDuplicateUnit.text_with(
            lang,
            &[("unit", unit.into()), ("first_line", (*first_line).into())],
        ),
        IssueKind::OwnerIdMissing => text(Msg::RosterOwnerIdMissing),
        IssueKind::EmailMalformed => text(Msg::RosterEmailMalformed),
        IssueKind::ControlCharacter => text(Msg::RosterControlCharacter),
        IssueKind::BidiControl => text(Msg::RosterBidiControl),
        IssueKind::OwnerNamedTwice {
            owner_id,
            first_name,
            first_line,
        } => Msg::RosterOwnerNamedTwice.text_with(
            lang,
            &[
                ("owner_id", owner_id.into()),
                ("first_name", first_name.into()),
                ("first_line", (*first_line).into()),
            ],
        ),
        IssueKind::BlankLine => text(Msg::RosterBlankLine),
        IssueKind::AboveHeader => text(Msg::RosterAboveHeader),
        IssueKind::RepeatedHeader => text(Msg::RosterRepeatedHeader),
        IssueKind::TotalRow => text(Msg::RosterTotalRow),
    }
}

/// The nine matters of Civil Code art. 278 para. 1, by number, as the setup page lists them.
pub fn matter_name(number: u8, lang: Lang) -> &'static str {
    let matter = match number {
        1 => Msg::Matter1,
        2 => Msg::Matter2,
        3 => Msg::Matter3,
        4 => Msg::Matter4,
        5 => Msg::Matter5,
        6 => Msg::Matter6,
        7 => Msg::Matter7,
        8 => Msg::Matter8,
        _ => Msg::Matter9,
    };
    matter.text(lang)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    #[test]
    fn chinese_by_default_english_on_request() {
        assert_eq!(Lang::from_accept_language(""), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Lang::ZhCn
        );
    }

    #[test]
    fn codes_are_unique() {
        // Every variant (the derive lists them all), not a list kept by hand.
        let all: Vec<Msg> = Msg::iter().collect();
        let mut codes: Vec<&str> = all.iter().map(|m| m.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    /// The messages of a language's file, each with the variables it refers to. The file must
    /// parse whole (a line Fluent cannot read would drop its message) and define each id once.
    fn messages_of(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(lang.source()).unwrap_or_else(|(_, errors)| {
            panic!("{}: the file does not parse: {errors:?}", lang.tag())
        });
        let mut messages = BTreeMap::new();
        for entry in &resource.body {
            match entry {
                ast::Entry::Message(message) => {
                    let mut variables = BTreeSet::new();
                    if let Some(value) = &message.value {
                        pattern_variables(value, &mut variables);
                    }
                    for attribute in &message.attributes {
                        pattern_variables(&attribute.value, &mut variables);
                    }
                    let id = message.id.name.to_owned();
                    assert!(
                        messages.insert(id.clone(), variables).is_none(),
                        "{}: {id} is defined twice",
                        lang.tag()
                    );
                }
                ast::Entry::Junk { content } => {
                    panic!("{}: Fluent cannot read {content:?}", lang.tag())
                }
                ast::Entry::Term(_)
                | ast::Entry::Comment(_)
                | ast::Entry::GroupComment(_)
                | ast::Entry::ResourceComment(_) => {}
            }
        }
        messages
    }

    fn pattern_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, into);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, into);
                for variant in variants {
                    pattern_variables(&variant.value, into);
                }
            }
            ast::Expression::Inline(inline) => inline_variables(inline, into),
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
        let arguments = |arguments: &ast::CallArguments<&str>, into: &mut BTreeSet<String>| {
            for a in &arguments.positional {
                inline_variables(a, into);
            }
            for a in &arguments.named {
                inline_variables(&a.value, into);
            }
        };
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                into.insert(id.name.to_owned());
            }
            ast::InlineExpression::FunctionReference { arguments: a, .. } => arguments(a, into),
            ast::InlineExpression::TermReference {
                arguments: Some(a), ..
            } => arguments(a, into),
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, into)
            }
            // A message referred to brings its own variables, checked where it is defined.
            ast::InlineExpression::StringLiteral { .. }
            | ast::InlineExpression::NumberLiteral { .. }
            | ast::InlineExpression::MessageReference { .. }
            | ast::InlineExpression::TermReference {
                arguments: None, ..
            } => {}
        }
    }

    /// (1) Every message is in every language and formats, with its variables, to a non-empty
    /// text, without errors and without Fluent's invisible isolation marks.
    #[test]
    fn every_message_is_in_every_language() {
        for lang in Lang::iter() {
            let messages = messages_of(lang);
            for msg in Msg::iter() {
                let id = msg.fluent_id();
                let variables = messages
                    .get(&id)
                    .unwrap_or_else(|| panic!("{}: {msg:?} ({id}) is missing", lang.tag()));
                let catalogue = lang.catalogue();
                let pattern = catalogue
                    .bundle
                    .get_message(&id)
                    .and_then(|m| m.value())
                    .unwrap_or_else(|| panic!("{}: {id} has no value", lang.tag()));
                // A number serves where a text is expected, and picks a variant where one is.
                for n in [1_u64, 2, 12345] {
                    let mut args = FluentArgs::new();
                    for variable in variables {
                        args.set(variable.as_str(), FluentValue::from(n));
                    }
                    let mut errors = Vec::new();
                    let text = catalogue
                        .bundle
                        .format_pattern(pattern, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{}: {id}: {errors:?}", lang.tag());
                    assert!(!text.trim().is_empty(), "{}: {id} is empty", lang.tag());
                    assert!(
                        !text.contains(['\u{2068}', '\u{2069}']),
                        "{}: {id} has isolation marks",
                        lang.tag()
                    );
                }
                if variables.is_empty() {
                    let mut errors = Vec::new();
                    let text = catalogue.bundle.format_pattern(pattern, None, &mut errors);
                    assert!(errors.is_empty(), "{}: {id}: {errors:?}", lang.tag());
                    assert_eq!(msg.text(lang), text, "{}: {id}", lang.tag());
                }
            }
        }
    }

    /// (2) A message has the same variables in every language: a translation that drops
    /// `{ $unit }` or invents `{ $units }` fails here, not in front of an owner.
    #[test]
    fn every_language_has_the_same_variables() {
        let mut languages = Lang::iter().map(|lang| (lang, messages_of(lang)));
        let Some((first, reference)) = languages.next() else {
            panic!("no language")
        };
        for (lang, messages) in languages {
            for (id, variables) in &messages {
                if let Some(theirs) = reference.get(id) {
                    assert_eq!(
                        variables,
                        theirs,
                        "{id}: the variables of {} and {} differ",
                        lang.tag(),
                        first.tag()
                    );
                }
            }
        }
    }

    /// (3) No message in a file is unknown to the code (a misspelt id would otherwise sit
    /// unused while the code reads its code in its place), and no two codes share an id.
    #[test]
    fn no_message_is_unknown_to_the_code() {
        let known: BTreeSet<String> = Msg::iter().map(Msg::fluent_id).collect();
        assert_eq!(known.len(), Msg::iter().count(), "two codes share an id");
        for lang in Lang::iter() {
            let orphans: Vec<String> = messages_of(lang)
                .into_keys()
                .filter(|id| !known.contains(id))
                .collect();
            assert!(
                orphans.is_empty(),
                "{}: unknown ids {orphans:?}",
                lang.tag()
            );
        }
    }

    #[test]
    fn variables_fill_in_without_marks() {
        assert_eq!(
            Msg::WebMarkUpTo.text_with(Lang::ZhCn, &[("n", 3_u64.into())]),
            "最多可选 3 人；也可选择弃权。"
        );
        assert_eq!(
            Msg::WebForMember
                .text_with(Lang::En, &[("name", "王{id}".into()), ("id", "A-1".into())]),
            "On behalf of 王{id} (owner A-1) · proxy vote"
        );
        assert_eq!(
            roster_issue(
                &IssueKind::DuplicateUnit {
                    unit: "1-2-301".into(),
                    first_line: 1234567
                },
                Lang::En
            ),
            "duplicate unit 1-2-301 (first on line 1234567)"
        );
        assert_eq!(Msg::WebYourChoice.text(Lang::En), "Your choice: ");
        assert_eq!(
            matter_name(6, Lang::ZhCn),
            "筹集建筑物及其附属设施的维修资金"
        );
        assert_eq!(matter_name(0, Lang::En), matter_name(9, Lang::En));
    }
}

#[cfg(test)]
mod old_compare {
    // TEMPORARY: the catalogue as it was in Rust, to compare with the Fluent files.
    use super::*;

    impl Msg {
        fn entry(self) -> (&'static str, &'static str, &'static str) {
            match self {
                Msg::Unauthenticated => ("unauthenticated", "请先登录。", "Please sign in first."),
                Msg::BadToken => (
                    "bad_token",
                    "登录已失效，请重新登录。",
                    "Your session is invalid or has expired; please sign in again.",
                ),
                Msg::BadCredentials => (
                    "bad_credentials",
                    "账号或密码不正确。",
                    "Wrong login or password.",
                ),
                Msg::BadCode => (
                    "bad_code",
                    "投票码不正确或已作废。",
                    "This voting code is wrong or has been revoked.",
                ),
                Msg::TooManyAttempts => (
                    "too_many_attempts",
                    "尝试次数过多，请稍后再试。",
                    "Too many failed attempts; please try again later.",
                ),
                Msg::Forbidden => (
                    "forbidden",
                    "您无权进行此操作。",
                    "You are not allowed to do this.",
                ),
                Msg::OtherEstate => (
                    "other_estate",
                    "您无权查看其他小区的数据。",
                    "You have no access to this estate.",
                ),
                Msg::StaffOnly => (
                    "staff_only",
                    "仅限工作人员使用。",
                    "Only staff may do this.",
                ),
                Msg::OwnersOnly => (
                    "owners_only",
                    "仅限业主本人使用投票码操作。",
                    "Only an owner signed in with a voting code may do this.",
                ),
                Msg::ReadOnlyRole => (
                    "read_only_role",
                    "您的角色只能查看，不能修改。",
                    "Your role may read but not change anything.",
                ),
                Msg::MalformedBody => (
                    "malformed_body",
                    "请求内容格式不正确。",
                    "The request body is malformed.",
                ),
                Msg::BodyTooLarge => (
                    "body_too_large",
                    "请求内容过大。",
                    "The request body is too large.",
                ),
                Msg::UnknownField => (
                    "unknown_field",
                    "请求中有无法识别的字段。",
                    "The request has a field that is not known.",
                ),
                Msg::InvalidValue => (
                    "invalid_value",
                    "填写的内容有误。",
                    "A value in the request is not valid.",
                ),
                Msg::NoRoute => ("no_route", "没有这个地址。", "There is no such address."),
                Msg::NotFound => (
                    "not_found",
                    "找不到所请求的内容。",
                    "The requested record does not exist.",
                ),
                Msg::Conflict => (
                    "conflict",
                    "当前状态下不能进行此操作。",
                    "This cannot be done in the current state.",
                ),
                Msg::Unavailable => (
                    "unavailable",
                    "服务暂时繁忙，请稍后重试。",
                    "The service is busy; please retry shortly.",
                ),
                Msg::Internal => (
                    "internal",
                    "服务器内部错误，已记录。",
                    "Internal error; it has been logged.",
                ),
                Msg::RosterInvalid => (
                    "roster_invalid",
                    "业主名册有错误，未导入任何数据。",
                    "The roster has errors; nothing was imported.",
                ),
                Msg::NoticeTooShort => (
                    "notice_too_short",
                    "公告至投票开始的时间少于规定天数。",
                    "The notice period before voting opens is shorter than required.",
                ),
                Msg::NoticeBelowMinimum => (
                    "notice_below_minimum",
                    "有表决事项的会议，公告期不得短于本小区议事规则规定的天数。",
                    "An assembly with binding items needs at least the notice its estate's rules require.",
                ),
                Msg::TrialOnly => (
                    "trial_only",
                    "只有试用小区可以使用以分钟计的期限。",
                    "Periods in minutes are for trial estates only.",
                ),
                Msg::TrialMark => ("trial", "试用/TRIAL", "TRIAL/试用"),
                Msg::TrialBanner => (
                    "trial_banner",
                    "试用/TRIAL：这是试用小区的演练，不是真实的业主大会表决，结果没有任何效力。",
                    "TRIAL/试用: a practice run of a trial estate, not a real owners' vote; its results bind no one.",
                ),
                Msg::VotingNotYetOpen => (
                    "voting_not_open",
                    "投票尚未开始。",
                    "Voting has not opened yet.",
                ),
                Msg::VotingClosed => ("voting_closed", "投票已经结束。", "Voting has closed."),
                Msg::ClosingEarly => (
                    "closing_early",
                    "尚未到截止时间；如需提前结束，须注明理由。",
                    "The closing time has not come; closing early needs a reason.",
                ),
                Msg::ReceiptOutsideWindow => (
                    "receipt_outside_window",
                    "纸质选票的收票时间不在投票期内。",
                    "The paper ballot's receipt time is outside the voting window.",
                ),
                Msg::SamePersonConfirms => (
                    "same_person_confirms",
                    "纸质选票须由录入人以外的另一人确认。",
                    "A paper ballot must be confirmed by someone other than who entered it.",
                ),
                Msg::BallotNotChangeable => (
                    "ballot_not_changeable",
                    "本次会议不允许修改已投的票。",
                    "This assembly does not allow changing a ballot.",
                ),
                Msg::OwnBallotSupersedes => (
                    "own_ballot_supersedes",
                    "业主本人已投票，代理人不能再投。",
                    "The member has voted in person; the proxy's ballot cannot replace it.",
                ),
                Msg::ConfirmedBallot => (
                    "confirmed_ballot",
                    "已确认的纸质选票只能通过注明理由的更正来修改。",
                    "A confirmed paper ballot can only be changed by a correction with a reason.",
                ),
                Msg::NotInElectorate => (
                    "not_in_electorate",
                    "您不在该事项的表决范围内。",
                    "You are not in the electorate of this item.",
                ),
                Msg::NoProxyForItem => (
                    "no_proxy",
                    "您没有代该业主表决此事项的委托。",
                    "You hold no proxy of this member for this item.",
                ),
                Msg::ItemsOnlyInDraft => (
                    "items_only_in_draft",
                    "会议公告后不能再增加表决事项。",
                    "No items may be added after the assembly was announced.",
                ),
                Msg::ResultBeforeClosing => (
                    "result_before_closing",
                    "投票结束后才能查看结果。",
                    "The result is available after voting closes.",
                ),
                Msg::EstateChoiceNeeded => (
                    "estate_needed",
                    "您在多个小区有角色，请指定小区。",
                    "You hold roles in several estates; name the estate.",
                ),
                Msg::InvalidChoice => (
                    "invalid_choice",
                    "所选内容不符合该事项的表决方式。",
                    "This choice does not fit the item.",
                ),
                Msg::ScopeUnknown => (
                    "scope_unknown",
                    "范围中有业主名册里没有的区域、楼栋或单元。",
                    "The scope names a zone, building or stairwell that is not on the roster.",
                ),
                Msg::EmptyElectorate => (
                    "empty_electorate",
                    "该事项范围内没有任何房屋，无人可以表决。",
                    "No unit is in this item's scope: nobody could vote on it.",
                ),
                Msg::ConcurrentWithoutGroups => (
                    "concurrent_without_groups",
                    "分区（分楼栋）同时过半要求范围内每套房屋都登记了区域（楼栋）。",
                    "Concurrent majorities need every unit in scope to have that zone or building on the roster.",
                ),
                Msg::CannotCount => (
                    "setup_cannot_count",
                    "按此设置无法计票，请修改该项。",
                    "The item could not be counted as set up; change this field.",
                ),
                Msg::ImpossibleSetup => (
                    "impossible_setup",
                    "此设置无法实现（如应选人数多于候选人，或门槛永远无法达到）。",
                    "This setting can never work (e.g. more seats than candidates, or a threshold that can never be met).",
                ),
                Msg::OutOfRange => (
                    "out_of_range",
                    "数值超出允许的范围。",
                    "This number is outside the allowed range.",
                ),
                // --- audit/export: command line, two-stage publication, announcement (公告) ---
                Msg::CliNoKeys => (
                    "cli_no_keys",
                    "该小区还没有签名密钥（首次导出时自动生成）。",
                    "This estate has no signing key yet (one is made at its first export).",
                ),
                Msg::CliKeyActive => ("cli_key_active", "使用中", "active"),
                Msg::CliKeyRetired => ("cli_key_retired", "已停用", "retired"),
                Msg::CliKeyRotated => (
                    "cli_key_rotated",
                    "已生成新的签名密钥；旧公钥继续公布，旧的导出仍可验证：",
                    "New signing key made; the old public keys stay published, so old exports still verify:",
                ),
                Msg::CliChainIntact => (
                    "cli_chain_intact",
                    "审计日志哈希链完整",
                    "audit chain intact",
                ),
                Msg::CliChainBroken => (
                    "cli_chain_broken",
                    "审计日志哈希链断裂",
                    "audit chain BROKEN",
                ),
                Msg::CliBallotsMatch => (
                    "cli_ballots_match",
                    "选票与审计日志一致",
                    "ballots match the audit log",
                ),
                Msg::CliBallotMismatch => (
                    "cli_ballot_mismatch",
                    "选票与审计日志不一致",
                    "ballot differs from the audit log",
                ),
                Msg::CliEntries => ("cli_entries", "条记录", "entries"),
                Msg::CliEntry => ("cli_entry", "记录", "entry"),
                Msg::CliNoEstate => ("cli_no_estate", "没有这个小区", "no such estate"),
                Msg::NotClosedYet => (
                    "not_closed_yet",
                    "投票结束后才能进行公示。",
                    "Publication starts after voting closes.",
                ),
                Msg::ObjectionPeriodOver => (
                    "objection_period_over",
                    "异议期已结束，不能再提出异议。",
                    "The objection period is over; no more objections can be filed.",
                ),
                Msg::ObjectionStillOpen => (
                    "objection_still_open",
                    "您对该事项的异议尚在处理中；处理后才能再次提出。",
                    "Your objection about this item is still being handled; you can file another once it is answered.",
                ),
                Msg::ObjectionsPerItemUsedUp => (
                    "objections_per_item_used_up",
                    "您对该事项提出的异议已达上限（5 次）。",
                    "You have filed the most objections allowed about this item (5).",
                ),
                Msg::TooFrequent => (
                    "too_frequent",
                    "提交过于频繁，请稍后再试。",
                    "Too many submissions in a short time; please try again later.",
                ),
                Msg::ObjectionPeriodRunning => (
                    "objection_period_running",
                    "异议期尚未结束，不能发布最终结果。",
                    "The objection period has not ended; the final result cannot be published yet.",
                ),
                Msg::ObjectionsUnresolved => (
                    "objections_unresolved",
                    "仍有未处理的异议，不能发布最终结果。",
                    "Some objections are unresolved; the final result cannot be published.",
                ),
                Msg::AlreadyFinal => (
                    "already_final",
                    "最终结果已发布，不能再更改。",
                    "The final result has been published and cannot change.",
                ),
                Msg::ObjectionAlreadyResolved => (
                    "objection_resolved",
                    "该异议已处理。",
                    "This objection has already been resolved.",
                ),
                Msg::CorrectionNeedsBallot => (
                    "correction_needs_ballot",
                    "更正须附上更正后的选票内容。",
                    "A correction needs the corrected ballot.",
                ),
                Msg::AnnouncementTitle => (
                    "ann_title",
                    "表决结果公告",
                    "Announcement of the voting results",
                ),
                Msg::AnnPreliminary => (
                    "ann_preliminary",
                    "初步结果（异议期内）",
                    "Preliminary result (objection period)",
                ),
                Msg::AnnFinal => ("ann_final", "最终结果", "Final result"),
                Msg::AnnItem => ("ann_item", "表决事项", "Item"),
                Msg::AnnOutcome => ("ann_outcome", "表决结果", "Outcome"),
                Msg::AnnMeasure => ("ann_measure", "项目", "Figure"),
                Msg::AnnArea => ("ann_area", "专有部分面积（平方米）", "Area (m²)"),
                Msg::AnnHeads => ("ann_heads", "人数", "Members"),
                Msg::AnnUnits => ("ann_units", "户数", "Units"),
                Msg::AnnShare => ("ann_share", "占比", "Share"),
                Msg::AnnTotal => ("ann_total", "总计", "Total"),
                Msg::AnnParticipation => ("ann_participation", "参与表决", "Took part"),
                Msg::AnnUnit => ("ann_unit", "房号", "Unit"),
                Msg::AnnOwner => ("ann_owner", "业主", "Owner"),
                Msg::AnnChoice => ("ann_choice", "表决意见", "Choice"),
                Msg::AnnChannel => ("ann_channel", "方式", "Channel"),
                Msg::AnnReceipt => ("ann_receipt", "回执号", "Receipt"),
                Msg::AnnNoBallot => ("ann_no_ballot", "未投票", "did not vote"),
                Msg::AnnRollPseudonymous => (
                    "ann_roll_pseudonymous",
                    "本次会议不公开逐户表决情况；业主可凭回执号核对自己的选票。",
                    "This assembly does not publish a per-unit roll; owners can check their ballot by its receipt.",
                ),
                Msg::AnnObjectionsUntil => {
                    ("ann_objections_until", "异议截止时间", "Objections until")
                }
                Msg::AnnYes => ("ann_yes", "同意", "Yes"),
                Msg::AnnNo => ("ann_no", "反对", "No"),
                Msg::AnnAbstain => ("ann_abstain", "弃权", "Abstain"),
                Msg::AnnInvalid => ("ann_invalid", "废票", "Invalid"),
                Msg::AnnPassed => ("ann_passed", "通过", "Passed"),
                Msg::AnnRejected => ("ann_rejected", "未通过", "Rejected"),
                Msg::AnnNoQuorum => ("ann_no_quorum", "参与表决未达法定要求", "Quorum not met"),
                Msg::AnnValid => ("ann_valid", "选举有效", "Election valid"),
                Msg::AnnElected => ("ann_elected", "当选", "Elected"),
                Msg::AnnSection => ("ann_section", "部分", "Section"),
                Msg::AnnFigures => ("ann_figures", "统计", "figures"),
                Msg::AnnRoll => ("ann_roll", "逐户表决情况", "roll"),
                Msg::AnnPrinted => ("ann_printed", "生成时间", "Generated"),
                // Web pages (issue 5).
                Msg::WebAbstain => ("web.abstain", "弃权", "Abstain"),
                Msg::WebAppName => (
                    "web.app_name",
                    "共决 · 业主大会表决",
                    "Gongjue · owners' assembly vote",
                ),
                Msg::WebArea => ("web.area", "面积", "Area"),
                Msg::WebAssemblies => ("web.assemblies", "业主大会会议", "Assemblies"),
                Msg::WebBack => ("web.back", "上一项", "Previous"),
                Msg::WebBackToSheet => ("web.back_to_sheet", "返回表决票", "Back to the ballot"),
                Msg::WebBuilding => ("web.building", "楼栋", "Building"),
                Msg::WebByBuilding => ("web.by_building", "按楼栋", "By building"),
                Msg::WebByZone => ("web.by_zone", "按区域", "By zone"),
                Msg::WebChangeChoices => (
                    "web.change_choices",
                    "查看或修改我的选择",
                    "See or change my choices",
                ),
                Msg::WebChangeUntil => (
                    "web.change_until",
                    "截止前可随时回来修改，截止时间：",
                    "You may come back and change your choices until",
                ),
                Msg::WebChannelPaper => ("web.channel_paper", "纸质票", "paper ballot"),
                Msg::WebChannelProxy => ("web.channel_proxy", "委托代投", "cast by proxy"),
                Msg::WebChannelWeb => ("web.channel_web", "网上投票", "voted online"),
                Msg::WebClosesAt => ("web.closes_at", "投票截止：", "Voting closes:"),
                Msg::WebCodeHelp => (
                    "web.code_help",
                    "请输入公告或表决票上印的投票码（大小写、空格和短横线都可以）。",
                    "Type the voting code printed on your notice or ballot sheet (case, spaces and dashes do not matter).",
                ),
                Msg::WebCodeLabel => ("web.code_label", "投票码", "Voting code"),
                Msg::WebConsultationRule => (
                    "web.consultation_rule",
                    "本项为意见征询，不作表决，结果供业主委员会参考。",
                    "This is a consultation, not a vote: the answers inform the owners' committee.",
                ),
                Msg::WebCsrf => (
                    "web.csrf",
                    "页面已过期或来源不明，操作未执行。请返回重新打开页面后再试。",
                    "This page has expired or did not come from this site; nothing was done. Please open the page again and retry.",
                ),
                Msg::WebDoneHelp => (
                    "web.done_help",
                    "您的选择已记录。请抄下下面的回执号，公布结果后可凭它核对。",
                    "Your choices are recorded. Write down the receipt numbers below to check them when the results are published.",
                ),
                Msg::WebDoneTitle => ("web.done_title", "投票成功", "Your vote is recorded"),
                Msg::WebEdit => ("web.edit", "修改", "Change"),
                Msg::WebEnterCode => ("web.enter_code", "输入投票码", "Enter your voting code"),
                Msg::WebErrorTitle => ("web.error_title", "无法完成", "This could not be done"),
                Msg::WebForMember => (
                    "web.for_member",
                    "代业主 {name}（编号 {id}）表决 · 委托代投",
                    "On behalf of {name} (owner {id}) · proxy vote",
                ),
                Msg::WebForYourself => ("web.for_yourself", "本人表决", "Your own vote"),
                Msg::WebHeads => ("web.heads", "人数", "Owners"),
                Msg::WebHome => ("web.home", "返回首页", "Home"),
                Msg::WebHomeIntro => (
                    "web.home_intro",
                    "业主可用公告或表决票上的投票码在网上表决。",
                    "Owners vote online with the code printed on the notice or ballot sheet.",
                ),
                Msg::WebInvalid => ("web.invalid", "废票", "Spoilt"),
                Msg::WebLogin => ("web.login", "账号", "Login"),
                Msg::WebMarkUpTo => (
                    "web.mark_up_to",
                    "最多可选 {n} 人；也可选择弃权。",
                    "Mark up to {n} candidates, or abstain.",
                ),
                Msg::WebNext => ("web.next", "下一项", "Next"),
                Msg::WebNo => ("web.no", "反对", "No"),
                Msg::WebNoAssemblies => ("web.no_assemblies", "还没有会议。", "No assembly yet."),
                Msg::WebNoChoice => (
                    "web.no_choice",
                    "未选择（本项不投票）",
                    "Not chosen (no vote on this item)",
                ),
                Msg::WebNoItems => (
                    "web.no_items",
                    "没有您可以表决的事项。",
                    "There is no item you may vote on.",
                ),
                Msg::WebNotOpenYet => (
                    "web.not_open_yet",
                    "投票开始后显示参与情况。",
                    "Turnout shows once voting is open.",
                ),
                Msg::WebNotVoted => ("web.not_voted", "尚未投票", "Not voted yet"),
                Msg::WebNotVotedYet => (
                    "web.not_voted_yet",
                    "尚未投票的业主",
                    "Members who have not voted yet",
                ),
                Msg::WebNotYetCounted => (
                    "web.not_yet_counted",
                    "待第二人确认后计入",
                    "counted once a second person confirms it",
                ),
                Msg::WebNothingChosen => (
                    "web.nothing_chosen",
                    "您还没有作出任何选择。请至少选择一项，或点“修改”返回。",
                    "You have not chosen anything yet. Choose at least one item, or press Change.",
                ),
                Msg::WebPassword => ("web.password", "密码", "Password"),
                Msg::WebPickUpTo => ("web.pick_up_to", "最多可选 {n} 项", "Pick up to {n}"),
                Msg::WebQuorumLine => (
                    "web.quorum_line",
                    "黑色竖线为法定参与比例；绿色表示已达到，红色表示尚未达到。",
                    "The black line is the quorum; green means reached, red not yet.",
                ),
                Msg::WebReceipt => ("web.receipt", "回执号：", "Receipt number:"),
                Msg::WebRecordIntro => (
                    "web.record_intro",
                    "投票已结束。以下是为您记录在案的表决（网上或纸质）。",
                    "Voting has closed. This is what was recorded for you (online or on paper).",
                ),
                Msg::WebRecorded => ("web.recorded", "已记录：", "Recorded:"),
                Msg::WebReviewTitle => (
                    "web.review_title",
                    "请核对您的全部选择",
                    "Check all your choices",
                ),
                Msg::WebRuleLabel => ("web.rule_label", "通过条件：", "How it passes: "),
                Msg::WebSheetChanged => (
                    "web.sheet_changed",
                    "表决事项已变动，请重新开始。",
                    "The ballot sheet has changed; please start again.",
                ),
                Msg::WebSignIn => ("web.sign_in", "进入", "Continue"),
                Msg::WebSignOut => ("web.sign_out", "退出", "Sign out"),
                Msg::WebStaffSignIn => ("web.staff_sign_in", "工作人员登录", "Staff sign-in"),
                Msg::WebStartVoting => ("web.start_voting", "开始投票", "Start voting"),
                Msg::WebStateAnnounced => ("web.state_announced", "已公告", "Announced"),
                Msg::WebStateCancelled => ("web.state_cancelled", "已取消", "Cancelled"),
                Msg::WebStateClosed => ("web.state_closed", "已结束", "Closed"),
                Msg::WebStateDraft => ("web.state_draft", "草稿", "Draft"),
                Msg::WebStateOpen => ("web.state_open", "投票中", "Open"),
                Msg::WebSubmit => ("web.submit", "确认提交", "Submit my vote"),
                Msg::WebSubmitHelp => (
                    "web.submit_help",
                    "提交后将显示回执号。",
                    "After submitting you get a receipt number.",
                ),
                Msg::WebToReview => ("web.to_review", "核对全部选择", "Review all choices"),
                Msg::WebTooManyMarks => (
                    "web.too_many_marks",
                    "最多只能选 {n} 人，请减少所选人数。",
                    "Mark at most {n} candidates, please remove some.",
                ),
                Msg::WebTurnout => ("web.turnout", "参与情况", "Turnout"),
                Msg::WebYes => ("web.yes", "同意", "Yes"),
                Msg::WebYourChoice => ("web.your_choice", "您的选择：", "Your choice: "),
                Msg::WebUnitNotFound => (
                    "web.unit_not_found",
                    "该房号不在本次会议的表决范围内，请核对楼号-单元-室号。",
                    "This unit is in no item of this assembly; check building-stairwell-room.",
                ),
                Msg::WebPaperTitle => ("web.paper_title", "录入纸质选票", "Enter a paper ballot"),
                Msg::WebPaperEntered => (
                    "web.paper_entered",
                    "{unit} 的纸质选票已录入，待另一位工作人员确认后计入。",
                    "The paper ballot of {unit} is entered; it counts once another staff member confirms it.",
                ),
                Msg::WebReceivedInvalid => (
                    "web.received_invalid",
                    "收票时间格式不正确。",
                    "The time of receipt is not a valid date and time.",
                ),
                Msg::WebConfirmed => (
                    "web.confirmed",
                    "已确认，该票已计入。",
                    "Confirmed: the ballot now counts.",
                ),
                Msg::WebConfirmQueue => (
                    "web.confirm_queue",
                    "待确认的纸质选票",
                    "Paper ballots to confirm",
                ),
                Msg::WebUnit => (
                    "web.unit",
                    "房号（楼号-单元-室号）",
                    "Unit (building-stairwell-room)",
                ),
                Msg::WebSearch => ("web.search", "查找", "Find"),
                Msg::WebReceivedAt => (
                    "web.received_at",
                    "收票时间（北京时间）",
                    "Received at (Beijing time)",
                ),
                Msg::WebScanRef => (
                    "web.scan_ref",
                    "扫描件/原件存放编号",
                    "Scan or filing reference",
                ),
                Msg::WebCorrectionReason => (
                    "web.correction_reason",
                    "更正理由（仅更正已确认的选票时填写）",
                    "Reason of correction (only to correct a confirmed ballot)",
                ),
                Msg::WebEnterPaper => ("web.enter_paper", "录入", "Enter"),
                Msg::WebConfirmHelp => (
                    "web.confirm_help",
                    "请对照纸质选票核对每一项，无误后点“确认”。录入人不能确认自己录入的选票。",
                    "Check each entry against the paper, then press Confirm. Nobody confirms their own entry.",
                ),
                Msg::WebConfirm => ("web.confirm", "确认", "Confirm"),
                Msg::WebQueueEmpty => (
                    "web.queue_empty",
                    "没有待确认的纸质选票。",
                    "No paper ballot is waiting.",
                ),
                Msg::WebRosterTitle => ("web.roster_title", "业主名册", "Owner roster"),
                Msg::WebRosterNow => ("web.roster_now", "当前名册版本", "Current roster version"),
                Msg::WebUnitsWord => ("web.units_word", "户", "units"),
                Msg::WebNoFile => (
                    "web.no_file",
                    "请选择要导入的名册文件。",
                    "Choose the roster file to import.",
                ),
                Msg::WebLine => ("web.line", "行", "Line"),
                Msg::WebColumn => ("web.column", "列", "Column"),
                Msg::WebProblem => ("web.problem", "问题", "Problem"),
                Msg::WebImported => ("web.imported", "名册已导入", "Roster imported"),
                Msg::WebAdded => ("web.added", "新增", "Added"),
                Msg::WebRemoved => ("web.removed", "删除", "Removed"),
                Msg::WebChanged => ("web.changed", "变更", "Changed"),
                Msg::WebNoteWord => ("web.note_word", "说明", "Note"),
                Msg::WebRosterFile => (
                    "web.roster_file",
                    "名册文件（CSV 或 XLSX）",
                    "Roster file (CSV or XLSX)",
                ),
                Msg::WebRosterHelp => (
                    "web.roster_help",
                    "必填列：楼号、室号、面积、业主编号；可有区域、单元、楼层、姓名、电话、邮箱。有任何错误时不导入任何数据。",
                    "Required columns: building, room, area, owner id; optional: zone, stairwell, floor, name, phone, email. With any error nothing is imported.",
                ),
                Msg::WebImport => ("web.import", "导入", "Import"),
                Msg::WebNewAssembly => ("web.new_assembly", "新建业主大会会议", "New assembly"),
                Msg::WebTitle => ("web.title", "标题", "Title"),
                Msg::WebOpensAt => (
                    "web.opens_at",
                    "投票开始时间（北京时间）",
                    "Voting opens (Beijing time)",
                ),
                Msg::WebClosesAtLabel => (
                    "web.closes_at_label",
                    "投票截止时间（北京时间）",
                    "Voting closes (Beijing time)",
                ),
                Msg::WebNoticeDays => (
                    "web.notice_days",
                    "公告至投票开始的天数（议事规则规定）",
                    "Days of notice before voting opens (rules of procedure)",
                ),
                Msg::WebObjectionDays => (
                    "web.objection_days",
                    "结果公示（询异）天数",
                    "Days the preliminary result is open to objections",
                ),
                Msg::WebObjectionMinutes => (
                    "web.objection_minutes",
                    "试用：公示期改以分钟计（填写后不计天数）",
                    "Trial: the objection period in minutes instead (days are then ignored)",
                ),
                Msg::WebPublicRoll => (
                    "web.public_roll",
                    "议事规则要求公开每户表决情况（姓名打码）",
                    "The rules of procedure make each unit's vote public (names masked)",
                ),
                Msg::WebChangeable => (
                    "web.changeable",
                    "截止前业主可修改已投的票",
                    "Owners may change their ballot until closing",
                ),
                Msg::WebCreate => ("web.create", "创建", "Create"),
                Msg::WebMotion => ("web.motion", "表决事项", "Motion"),
                Msg::WebElection => ("web.election", "选举", "Election"),
                Msg::WebConsultation => ("web.consultation", "意见征询", "Consultation"),
                Msg::WebZones => ("web.zones", "区域", "Zones"),
                Msg::WebBuildings => ("web.buildings", "楼栋", "Buildings"),
                Msg::WebStairwells => ("web.stairwells", "单元", "Stairwells"),
                Msg::WebWholeEstate => ("web.whole_estate", "全体业主", "The whole estate"),
                Msg::WebSeats => ("web.seats", "应选人数", "Seats"),
                Msg::WebItems => ("web.items", "表决事项", "Items"),
                Msg::WebNoItemsYet => ("web.no_items_yet", "还没有表决事项。", "No item yet."),
                Msg::WebAddItem => ("web.add_item", "增加事项", "Add the item"),
                Msg::WebKind => ("web.kind", "类型", "Kind"),
                Msg::WebFullText => (
                    "web.full_text",
                    "全文（选举可在此写候选人介绍）",
                    "Full text (for an election, the candidates' statements)",
                ),
                Msg::WebMatter => (
                    "web.matter",
                    "事项类别（民法典第二百七十八条），决定通过条件",
                    "Matter (Civil Code art. 278); it decides the rule",
                ),
                Msg::WebCandidates => (
                    "web.candidates",
                    "候选人（每行一位，仅选举）",
                    "Candidates (one per line; elections only)",
                ),
                Msg::WebQuestions => (
                    "web.questions",
                    "问题（每行一个：问题：选项 / 选项，仅意见征询）",
                    "Questions (one per line: question: option / option; consultations only)",
                ),
                Msg::WebScope => ("web.scope", "表决范围", "Who votes"),
                Msg::WebAnnounceHelp => (
                    "web.announce_help",
                    "公告后不能再增加事项；投票开始前须满足公告天数。",
                    "After announcing no item can be added; the notice period must pass before voting opens.",
                ),
                Msg::WebAnnounce => ("web.announce", "发布公告", "Announce"),
                Msg::WebOpen => ("web.open", "开始投票", "Open voting"),
                Msg::WebCloseReason => (
                    "web.close_reason",
                    "提前结束的理由（截止前结束时必填）",
                    "Reason to close early (required before the closing time)",
                ),
                Msg::WebClose => ("web.close", "结束投票", "Close voting"),
                Msg::WebPassed => ("web.passed", "通过", "Passed"),
                Msg::WebRejected => ("web.rejected", "未通过", "Not passed"),
                Msg::WebNoQuorum => (
                    "web.no_quorum",
                    "参与表决的面积或人数未达到法定比例，表决无效",
                    "Too few took part (area or heads): no valid decision",
                ),
                Msg::WebElected => ("web.elected", "当选：", "Elected: "),
                Msg::WebTie => (
                    "web.tie",
                    "票数相同、须另行决定：",
                    "Tied, to be decided separately: ",
                ),
                Msg::WebUnfilled => (
                    "web.unfilled",
                    "空缺名额（另行选举）",
                    "Seats left unfilled (new election)",
                ),
                Msg::WebConsulted => (
                    "web.consulted",
                    "征询完成（不作决定）",
                    "Consultation complete (no decision)",
                ),
                Msg::WebResults => ("web.results", "表决结果", "Results"),
                Msg::WebAnnouncementLink => (
                    "web.announcement_link",
                    "结果公告（业主姓名遮蔽）",
                    "Public announcement (owners' names masked)",
                ),
                Msg::WebParticipants => (
                    "web.participants",
                    "参与表决的业主（姓名已遮蔽）",
                    "Members who took part (names masked)",
                ),
                Msg::WebNotice => ("web.notice", "会议公告", "Notice of the assembly"),
                Msg::WebAnnouncedAt => ("web.announced_at", "公告日期", "Announced on"),
                Msg::WebHowToVote => (
                    "web.how_to_vote",
                    "投票方式：凭表决票上的投票码在网上投票（扫描二维码或打开以下网址），或将填好的纸质表决票交到物业服务中心投票箱。网址：",
                    "How to vote: online with the code on your ballot sheet (scan the QR code or open this address), or put the paper sheet in the ballot box at the management office. Address:",
                ),
                Msg::WebAgenda => ("web.agenda", "表决事项", "Agenda"),
                Msg::WebBallotSheets => (
                    "web.ballot_sheets",
                    "生成并打印表决票（每户一张，含投票码和二维码）",
                    "Issue codes and print the ballot sheets (one per member, with code and QR code)",
                ),
                Msg::WebPrintHelp => (
                    "web.print_help",
                    "请用浏览器的“打印”功能打印或存为 PDF（A4，每位业主一页）。投票码只显示这一次。",
                    "Use the browser's Print to print or save as PDF (A4, one page per member). The codes are shown this once.",
                ),
                Msg::WebSignature => ("web.signature", "业主签名：", "Owner's signature:"),
                Msg::WebPrint => (
                    "web.print",
                    "打印公告和表决票",
                    "Print the notice and ballot sheets",
                ),
                Msg::WebReissueWarning => (
                    "web.reissue_warning",
                    "注意：生成表决票会为每位业主发放新的投票码，之前发放的投票码随即作废。",
                    "Note: this issues a new code to every member; codes issued before stop working.",
                ),
                Msg::WebWholeAssembly => ("web.whole_assembly", "全部事项", "Every item"),
                Msg::WebSomeItems => ("web.some_items", "部分事项", "Some items"),
                Msg::WebProxies => ("web.proxies", "委托投票", "Proxies"),
                Msg::WebDocumentRef => {
                    ("web.document_ref", "委托书编号", "Authorization reference")
                }
                Msg::WebNoProxies => (
                    "web.no_proxies",
                    "还没有登记委托。",
                    "No proxy recorded yet.",
                ),
                Msg::WebRecordProxy => ("web.record_proxy", "登记委托", "Record the proxy"),
                Msg::WebProxyMember => (
                    "web.proxy_member",
                    "委托人（业主编号）",
                    "Member giving the proxy (owner id)",
                ),
                Msg::WebProxyHolder => (
                    "web.proxy_holder",
                    "受托人（业主编号，用本人投票码投票）",
                    "Proxy holder (owner id; votes with their own code)",
                ),
                Msg::WebProxyItems => (
                    "web.proxy_items",
                    "委托的事项（不选即全部事项）",
                    "Items covered (none ticked: every item)",
                ),
                Msg::WebEstateId => (
                    "web.estate_id",
                    "小区编号（您在多个小区任职）",
                    "Estate id (you hold roles in several estates)",
                ),
                Msg::WebLiveHelp => (
                    "web.live_help",
                    "投票进行中，本页每分钟自动刷新。",
                    "Voting is open: this page refreshes itself every minute.",
                ),
                Msg::WebOutcome => ("web.outcome", "表决结果：", "Result: "),
                // --- web: publication pages ---
                Msg::WebPubTitle => (
                    "web.pub.title",
                    "结果公示与异议",
                    "Publication and objections",
                ),
                Msg::WebPubPreliminary => (
                    "web.pub.preliminary",
                    "初步结果公示中。异议截止时间：",
                    "Preliminary result, open to objections until ",
                ),
                Msg::WebPubFinal => (
                    "web.pub.final",
                    "最终结果已发布：",
                    "Final result published on ",
                ),
                Msg::WebPubRecordLink => (
                    "web.pub.record_link",
                    "查看结果公示：核对本人记录和回执，或提出异议",
                    "See the published result: check your record and receipt, or file an objection",
                ),
                Msg::WebPubYourRecord => (
                    "web.pub.your_record",
                    "本人表决记录",
                    "What was recorded for you",
                ),
                Msg::WebPubUnits => ("web.pub.units", "房号：", "Units: "),
                Msg::WebPubObject => ("web.pub.object", "提出异议", "File an objection"),
                Msg::WebPubObjectHelp => (
                    "web.pub.object_help",
                    "如果您认为以上记录有误（例如纸质选票录入错误），请选择事项并写明理由。秘书处理后会在本页给出答复。",
                    "If you think something above was recorded wrongly (for example a paper ballot entered wrongly), choose the item and say what is wrong. The secretary's answer will appear on this page.",
                ),
                Msg::WebPubObjectionItem => (
                    "web.pub.objection_item",
                    "异议涉及的事项",
                    "The item your objection is about",
                ),
                Msg::WebPubObjectionText => (
                    "web.pub.objection_text",
                    "哪里记录有误？",
                    "What was recorded wrongly?",
                ),
                Msg::WebPubObjectionFiled => (
                    "web.pub.objection_filed",
                    "异议已提交。",
                    "Your objection is filed.",
                ),
                Msg::WebPubYourObjections => {
                    ("web.pub.your_objections", "我的异议", "Your objections")
                }
                Msg::WebPubStatusOpen => {
                    ("web.pub.status_open", "待处理", "Waiting for the secretary")
                }
                Msg::WebPubStatusRejected => (
                    "web.pub.status_rejected",
                    "已驳回（记录无误）",
                    "Rejected (the record stands)",
                ),
                Msg::WebPubStatusCorrected => ("web.pub.status_corrected", "已更正", "Corrected"),
                Msg::WebPubReason => ("web.pub.reason", "处理理由：", "Reason: "),
                Msg::WebPubRollLink => (
                    "web.pub.roll_link",
                    "公示名单：按房号查找您的回执",
                    "Published list: find your receipt by unit",
                ),
                Msg::WebPubRollTitle => ("web.pub.roll_title", "公示名单", "Published list"),
                Msg::WebPubRollHelp => (
                    "web.pub.roll_help",
                    "在下面的名单中找到您的房号和回执号，即可确认您的选票已计入。",
                    "Find your unit and your receipt number in the list below to check that your ballot is in the count.",
                ),
                Msg::WebPubYourUnit => ("web.pub.your_unit", "（您的房屋）", "(your unit)"),
                Msg::WebPubObjections => ("web.pub.objections", "异议", "Objections"),
                Msg::WebPubNoObjections => {
                    ("web.pub.no_objections", "没有异议。", "No objections.")
                }
                Msg::WebPubFiledAt => ("web.pub.filed_at", "提出时间：", "Filed on "),
                Msg::WebPubReject => (
                    "web.pub.reject",
                    "驳回（记录无误）",
                    "Reject (the record stands)",
                ),
                Msg::WebPubCorrect => (
                    "web.pub.correct",
                    "已更正（选择已确认的更正纸质选票）",
                    "Corrected (choose the confirmed correction paper ballot)",
                ),
                Msg::WebPubCorrectionBallot => (
                    "web.pub.correction_ballot",
                    "更正用的纸质选票",
                    "The correction paper ballot",
                ),
                Msg::WebPubNoCorrectionBallot => (
                    "web.pub.no_correction_ballot",
                    "还没有已确认的更正选票。如需更正，请先录入更正纸质选票，再由另一人确认。",
                    "No confirmed correction ballot yet. To correct, enter a correction paper ballot first; another person then confirms it.",
                ),
                Msg::WebPubEnterCorrection => (
                    "web.pub.enter_correction",
                    "录入更正纸质选票",
                    "Enter a correction paper ballot",
                ),
                Msg::WebPubCorrectionFor => (
                    "web.pub.correction_for",
                    "根据业主异议更正：",
                    "Correction on the owner's objection: ",
                ),
                Msg::WebPubResolve => ("web.pub.resolve", "处理异议", "Resolve"),
                Msg::WebPubResolveReason => (
                    "web.pub.resolve_reason",
                    "处理理由（业主可见，记入审计日志）",
                    "Reason (shown to the owner, kept in the audit log)",
                ),
                Msg::WebPubResolved => (
                    "web.pub.resolved",
                    "异议已处理。",
                    "The objection is resolved.",
                ),
                Msg::WebPubPublishFinal => (
                    "web.pub.publish_final",
                    "发布最终结果并签名导出",
                    "Publish the final result and sign the exports",
                ),
                Msg::WebPubCannotPublish => (
                    "web.pub.cannot_publish",
                    "现在还不能发布最终结果：",
                    "The final result cannot be published yet: ",
                ),
                Msg::WebPubPublished => (
                    "web.pub.published",
                    "最终结果已发布，各事项的导出已签名。",
                    "The final result is published and every item's export is signed.",
                ),
                Msg::WebPubDownloads => (
                    "web.pub.downloads",
                    "签名导出（供审计复核）",
                    "Signed exports (for auditors)",
                ),
                Msg::WebPubDownloadsLater => (
                    "web.pub.downloads_later",
                    "最终结果发布后才能下载签名导出：异议仍可能更正初步结果。",
                    "The signed exports can be downloaded once the final result is published: objections may still correct the preliminary result.",
                ),
                Msg::WebPubAnnouncementCsv => (
                    "web.pub.announcement_csv",
                    "结果公告（CSV 表格）",
                    "Announcement (CSV spreadsheet)",
                ),
                Msg::WebPubOwner => ("web.pub.owner", "业主：", "Owner: "),
                // --- hardening: backups ---
                Msg::CliBackupDone => (
                    "cli_backup_done",
                    "数据库已完整备份到",
                    "The database has been copied, consistently, to",
                ),
                Msg::CliBackupSecret => (
                    "cli_backup_secret",
                    "请将密钥文件（serve 的 --secret-file）与备份一同妥善保存：没有它，已发放的投票码将失效。",
                    "Keep the secret file (--secret-file of serve) with the backup: without it, issued voting codes stop working.",
                ),
                Msg::CliBackupExists => (
                    "cli_backup_exists",
                    "备份目标已存在，未覆盖：",
                    "The backup target already exists; nothing was overwritten:",
                ),
                Msg::CliBackupPostgres => (
                    "cli_backup_postgres",
                    "PostgreSQL 数据库请用 pg_dump 备份（例如 pg_dump -Fc -f gongjue.dump 数据库地址），用 pg_restore 恢复。",
                    "A PostgreSQL database is backed up with pg_dump (e.g. pg_dump -Fc -f gongjue.dump DATABASE_URL) and restored with pg_restore.",
                ),
                // Notices by e-mail (issue 6).
                Msg::MailAnnouncement => (
                    "mail_announcement",
                    "业主大会会议公告",
                    "Notice of the owners' assembly",
                ),
                Msg::MailInvitation => (
                    "mail_invitation",
                    "投票邀请及您的投票码",
                    "Your invitation and voting code",
                ),
                Msg::MailReminder => (
                    "mail_reminder",
                    "投票提醒：您尚未完成投票",
                    "Reminder: you have not voted yet",
                ),
                Msg::MailResult => (
                    "mail_result",
                    "表决结果公告",
                    "Results of the owners' assembly",
                ),
                Msg::MailBallotRecorded => (
                    "mail_ballot_recorded",
                    "已为您登记选票，请核对",
                    "A ballot was recorded for you: please check",
                ),
                Msg::MailDearOwner => ("mail_dear_owner", "业主", "owner"),
                Msg::ItemMotion => ("item_motion", "表决事项", "motion"),
                Msg::ItemElection => ("item_election", "选举", "election"),
                Msg::ItemConsultation => ("item_consultation", "征询", "consultation"),
                Msg::OutcomePassed => ("outcome_passed", "通过", "passed"),
                Msg::OutcomeRejected => ("outcome_rejected", "未通过", "rejected"),
                Msg::OutcomeNoQuorum => (
                    "outcome_no_quorum",
                    "参与表决未达法定比例，不成立",
                    "the quorum was not reached",
                ),
                Msg::OutcomeElected => ("outcome_elected", "当选", "elected"),
                Msg::OutcomeNobodyElected => {
                    ("outcome_nobody_elected", "无人当选", "nobody was elected")
                }
                Msg::OutcomeCounted => ("outcome_counted", "已统计", "counted"),
                Msg::ChannelPaper => ("channel_paper", "纸质选票", "a paper ballot"),
                Msg::ChannelProxy => (
                    "channel_proxy",
                    "委托代理人代为投票",
                    "a ballot cast by your proxy",
                ),
                Msg::RemindersOnlyWhileOpen => (
                    "reminders_only_while_open",
                    "只有在投票期间才能发送投票提醒。",
                    "Reminders can be sent only while voting is open.",
                ),
                // --- web: notices by e-mail pages (issue 6) ---
                Msg::WebMailNotices => ("web.mail.notices", "邮件通知", "Notices by e-mail"),
                Msg::WebMailOutbox => ("web.mail.outbox", "发件箱", "Outbox"),
                Msg::WebMailRemind => (
                    "web.mail.remind",
                    "向尚未投票的业主发送投票提醒",
                    "Send a reminder round to members who have not voted",
                ),
                Msg::WebMailRemindHelp => (
                    "web.mail.remind_help",
                    "每天（北京时间）只发一轮：同一天再次发送不会重复发信。",
                    "One round per day (Beijing time): sending again the same day queues nothing new.",
                ),
                Msg::WebMailPublish => (
                    "web.mail.publish",
                    "通过电子邮件发布表决结果",
                    "Publish the results by e-mail",
                ),
                Msg::WebMailPublishHelp => (
                    "web.mail.publish_help",
                    "每位业主只收到一次结果通知：再次发布不会重复发信。",
                    "Each member receives the results once: publishing again queues nothing new.",
                ),
                Msg::WebMailQueued => (
                    "web.mail.queued",
                    "本次新加入发件队列的邮件：",
                    "E-mails newly queued: ",
                ),
                Msg::WebMailEmailed => (
                    "web.mail.emailed",
                    "本轮涉及有电子邮箱的业主：",
                    "Members with an address this round concerns: ",
                ),
                Msg::WebMailNothingNew => (
                    "web.mail.nothing_new",
                    "没有新邮件：本轮的邮件此前已加入发件队列。",
                    "Nothing new: this round's e-mails were queued before.",
                ),
                Msg::WebMailPaperRound => (
                    "web.mail.paper_round",
                    "纸质送达名单（无电子邮箱的业主）",
                    "Paper round (members without an e-mail address)",
                ),
                Msg::WebMailPaperHelp => (
                    "web.mail.paper_help",
                    "这些业主收不到电子邮件，每份通知都须投递到户。本页可直接打印。",
                    "These members receive no e-mail: deliver every notice door to door. This page prints.",
                ),
                Msg::WebMailNoPaper => (
                    "web.mail.no_paper",
                    "所有业主都有电子邮箱。",
                    "Every member has an e-mail address.",
                ),
                Msg::WebMailDelivered => {
                    ("web.mail.delivered", "送达签收", "Delivered (signature)")
                }
                Msg::WebMailPreview => ("web.mail.preview", "预览邮件", "Preview a message"),
                Msg::WebMailKind => ("web.mail.kind", "通知类型", "Kind"),
                Msg::WebMailMember => ("web.mail.member", "业主", "Member"),
                Msg::WebMailLanguage => ("web.mail.language", "语言", "Language"),
                Msg::WebMailOwnersLanguage => (
                    "web.mail.owners_language",
                    "业主设定的语言",
                    "The owner's language",
                ),
                Msg::WebMailShow => ("web.mail.show", "预览", "Preview"),
                Msg::WebMailSubject => ("web.mail.subject", "主题", "Subject"),
                Msg::WebMailTextBody => ("web.mail.text_body", "纯文本正文", "Text body"),
                Msg::WebMailHtmlBody => ("web.mail.html_body", "网页版正文", "HTML body"),
                Msg::WebMailRecipient => ("web.mail.recipient", "收件人", "Recipient"),
                Msg::WebMailNoAddress => (
                    "web.mail.no_address",
                    "无电子邮箱（纸质送达）",
                    "No address (paper round)",
                ),
                Msg::WebMailStatus => ("web.mail.status", "状态", "Status"),
                Msg::WebMailAll => ("web.mail.all", "全部", "All"),
                Msg::WebMailPending => ("web.mail.pending", "待发送", "Pending"),
                Msg::WebMailSent => ("web.mail.sent", "已发送", "Sent"),
                Msg::WebMailFailed => ("web.mail.failed", "发送失败", "Failed"),
                Msg::WebMailAttempts => ("web.mail.attempts", "尝试次数", "Attempts"),
                Msg::WebMailLastError => ("web.mail.last_error", "最后一次错误", "Last error"),
                Msg::WebMailQueuedAt => ("web.mail.queued_at", "加入队列", "Queued"),
                Msg::WebMailSentAt => ("web.mail.sent_at", "发出时间", "Sent"),
                Msg::WebMailNextAttempt => ("web.mail.next_attempt", "下次尝试", "Next attempt"),
                Msg::WebMailFailedAlert => (
                    "web.mail.failed_alert",
                    "封邮件发送失败：请改为纸质送达这些业主。",
                    "messages failed: serve these owners on paper.",
                ),
                Msg::WebMailEmpty => ("web.mail.empty", "没有邮件。", "No messages."),
                Msg::WebMailFilter => ("web.mail.filter", "筛选", "Filter"),
                Msg::WebMailThisAssembly => (
                    "web.mail.this_assembly",
                    "本次会议的邮件",
                    "This assembly's messages",
                ),
                // privacy
                Msg::PrivacyContacts => ("privacy.contacts", "联系方式（条）", "contacts"),
                Msg::PrivacyMessages => (
                    "privacy.messages",
                    "已处理邮件的收件地址与正文（封）",
                    "handled messages' addresses and bodies",
                ),
                Msg::PrivacyMailFiles => (
                    "privacy.mail_files",
                    "超过保留期的邮件文件（.eml）",
                    "mail files (.eml) past the retention period",
                ),
                Msg::PrivacyNeededUntil => ("privacy.needed_until", "最后使用于", "last needed"),
                Msg::PrivacyErased => ("privacy.erased", "已删除", "erased"),
                Msg::PrivacyDryRun => (
                    "privacy.dry_run",
                    "试运行，未删除任何数据；将删除",
                    "dry run, nothing erased; would erase",
                ),
                Msg::PrivacyNothingDue => (
                    "privacy.nothing_due",
                    "没有超过保留期的联系方式。",
                    "No contact data is past its retention period.",
                ),
                Msg::PrivacyKeptUntilNextRoster => (
                    "privacy.kept_until_next_roster",
                    "保留期设为 0：联系方式保留至下次导入业主名册，不按时间删除。",
                    "The retention period is 0: contact data is kept until the next roster import, not erased by age.",
                ),
                Msg::PrivacyErasedRecipient => (
                    "privacy.erased_recipient",
                    "（保留期满，已删除）",
                    "(erased after the retention period)",
                ),
                // hostile
                Msg::StorageFull => (
                    "storage_full",
                    "服务器存储空间已满，本次操作未保存。请稍后重试，并通知管理员。",
                    "The server's storage is full; nothing was saved. Please retry later and tell the administrator.",
                ),
                Msg::CliBackupNoSpace => (
                    "cli_backup_no_space",
                    "备份目标磁盘已满，未留下不完整的文件：",
                    "The backup target's disk is full; no partial file was left:",
                ),
                Msg::SessionTooOld => (
                    "session_too_old",
                    "登录时间过长，不能再延期，请重新登录。",
                    "This session is too old to be refreshed; please sign in again.",
                ),
                Msg::ItemsFixed => (
                    "items_fixed",
                    "会议已不是草稿，表决事项不能再修改或删除。",
                    "The assembly is no longer a draft: its items can no longer be changed or deleted.",
                ),
                Msg::ItemNamedByProxy => (
                    "item_named_by_proxy",
                    "已登记的委托书指定了此表决事项，请先撤销该委托。",
                    "A recorded proxy names this item; revoke the proxy first.",
                ),
                Msg::NoItemsToAnnounce => (
                    "no_items_to_announce",
                    "会议还没有任何表决事项，不能发布公告（没有事项的会议无法开始投票）。",
                    "The assembly has no items yet: it cannot be announced (an assembly without items can never open).",
                ),
                Msg::CancelNotAllowed => (
                    "cancel_not_allowed",
                    "会议已结束投票并公示结果，或已取消，不能再取消。",
                    "The assembly can no longer be cancelled: voting has closed and its result is published, or it is cancelled already.",
                ),
                Msg::MailCancellation => (
                    "mail_cancellation",
                    "会议取消通知",
                    "The assembly is cancelled",
                ),
                _ => ("", "", ""),
            }
        }
    }

    /// A roster line error in the reader's language (the store keeps them structured for this).
    pub fn old_roster_issue(kind: &IssueKind, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let pick = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
        match kind {
            IssueKind::NotText => pick(
                "文件既不是 XLSX 表格，也不是 UTF-8、UTF-16 或 GBK 文本",
                "the file is neither an XLSX workbook nor UTF-8, UTF-16 or GBK text",
            ),
            IssueKind::Unreadable(reason) => {
                if zh {
                    format!("无法读取表格：{reason}")
                } else {
                    format!("the workbook cannot be read: {reason}")
                }
            }
            IssueKind::NoHeader { missing } => {
                let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
                if zh {
                    format!("找不到包含必填列的表头（缺少：{}）", names.join("、"))
                } else {
                    format!(
                        "no header row names the required columns (missing: {})",
                        names.join(", ")
                    )
                }
            }
            IssueKind::AmbiguousColumn { field, first } => {
                if zh {
                    format!("该列与“{first}”列都被识别为 {field}")
                } else {
                    format!("column read as {field} a second time (first: {first})")
                }
            }
            IssueKind::NoUnits => pick("名册中没有任何房屋", "the roster has no units"),
            IssueKind::BuildingMissing => pick("缺少楼号", "building missing"),
            IssueKind::RoomMissing => pick("缺少室号", "room number missing"),
            IssueKind::AreaMissing => pick("缺少面积", "area missing"),
            IssueKind::AreaNotPositive => pick("面积必须大于零", "area must be positive"),
            IssueKind::AreaTooManyDecimals => {
                pick("面积最多两位小数", "area has more than two decimals")
            }
            IssueKind::AreaNotANumber => pick("面积不是数字", "area is not a number"),
            IssueKind::AreaTooLarge => pick("面积过大", "area is too large"),
            IssueKind::FloorNotANumber => pick("楼层不是整数", "floor is not a whole number"),
            IssueKind::DuplicateUnit { unit, first_line } => {
                if zh {
                    format!("房屋 {unit} 重复（首次出现在第 {first_line} 行）")
                } else {
                    format!("duplicate unit {unit} (first on line {first_line})")
                }
            }
            IssueKind::OwnerIdMissing => pick("缺少业主编号", "owner id missing"),
            IssueKind::EmailMalformed => pick("电子邮箱格式不正确", "email address is malformed"),
            IssueKind::ControlCharacter => pick(
                "单元格含有控制字符（如 NUL），导出文件可能已损坏",
                "the cell holds a control character (such as NUL): the export is damaged",
            ),
            IssueKind::BidiControl => pick(
                "单元格含有双向文字控制字符（如 U+202E），会使内容显示得与实际不同",
                "the cell holds a bidirectional control character (such as U+202E) that would show it other than it is",
            ),
            IssueKind::OwnerNamedTwice {
                owner_id,
                first_name,
                first_line,
            } => {
                if zh {
                    format!("业主编号 {owner_id} 在第 {first_line} 行登记为 {first_name}")
                } else {
                    format!("owner id {owner_id} already named {first_name} on line {first_line}")
                }
            }
            IssueKind::BlankLine => pick("空行", "blank line"),
            IssueKind::AboveHeader => {
                pick("表头上方的标题或说明", "title or note above the header row")
            }
            IssueKind::RepeatedHeader => pick("重复的表头行", "the header row repeated"),
            IssueKind::TotalRow => pick("合计行", "total row"),
        }
    }

    /// The nine matters of Civil Code art. 278 para. 1, by number, as the setup page lists them.
    pub fn old_matter_name(number: u8, lang: Lang) -> &'static str {
        let (zh, en) = match number {
            1 => (
                "制定和修改业主大会议事规则",
                "Rules of procedure of the owners' assembly",
            ),
            2 => ("制定和修改管理规约", "The management statute"),
            3 => (
                "选举业主委员会或者更换业主委员会成员",
                "Electing or replacing the owners' committee",
            ),
            4 => (
                "选聘和解聘物业服务企业或者其他管理人",
                "Hiring or dismissing the property manager",
            ),
            5 => (
                "使用建筑物及其附属设施的维修资金",
                "Using the maintenance fund",
            ),
            6 => (
                "筹集建筑物及其附属设施的维修资金",
                "Raising the maintenance fund",
            ),
            7 => (
                "改建、重建建筑物及其附属设施",
                "Rebuilding or reconstructing buildings and facilities",
            ),
            8 => (
                "改变共有部分的用途或者利用共有部分从事经营活动",
                "Changing the use of common parts or using them commercially",
            ),
            _ => (
                "有关共有和共同管理权利的其他重大事项",
                "Other major matters of common ownership and management",
            ),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }

    #[test]
    fn old_and_new_agree() {
        let placeholders = [
            ("{n}", "7"),
            ("{unit}", "1-2-301"),
            ("{name}", "王{id}"),
            ("{id}", "A-1"),
        ];
        let mut seen = 0;
        for m in Msg::iter() {
            let (code, zh, en) = m.entry();
            if code.is_empty() {
                continue;
            }
            seen += 1;
            assert_eq!(m.code(), code);
            for (lang, old) in [(Lang::ZhCn, zh), (Lang::En, en)] {
                if old.contains('{') {
                    let args: Vec<(&str, Arg<'_>)> = placeholders
                        .iter()
                        .filter(|(p, _)| old.contains(p))
                        .map(|(p, v)| (p.trim_matches(|c| c == '{' || c == '}'), Arg::from(*v)))
                        .collect();
                    let mut expected = old.to_owned();
                    // In order, as the callers did (name before id).
                    for (p, v) in placeholders.iter().filter(|(p, _)| old.contains(p)) {
                        expected = expected.replace(p, v);
                    }
                    let new = m.text_with(lang, &args);
                    // The callers replaced `{id}` inside the name too; Fluent does not.
                    let expected = expected.replace("王A-1", "王{id}");
                    assert_eq!(new, expected, "{code}");
                } else {
                    assert_eq!(m.text(lang), old, "{code} {lang:?}");
                }
            }
        }
        assert_eq!(seen, 375);
        for n in 0..=255u8 {
            for lang in Lang::iter() {
                assert_eq!(matter_name(n, lang), old_matter_name(n, lang));
            }
        }
        use gongjue_store::roster::Field;
        let kinds = vec![
            IssueKind::NotText,
            IssueKind::Unreadable("bad zip {x} \u{202e}".into()),
            IssueKind::NoHeader { missing: vec![] },
            IssueKind::NoHeader {
                missing: vec![Field::Building, Field::Area, Field::Room],
            },
            IssueKind::AmbiguousColumn {
                field: Field::Area,
                first: "面积 {m²}".into(),
            },
            IssueKind::NoUnits,
            IssueKind::BuildingMissing,
            IssueKind::RoomMissing,
            IssueKind::AreaMissing,
            IssueKind::AreaNotPositive,
            IssueKind::AreaTooManyDecimals,
            IssueKind::AreaNotANumber,
            IssueKind::AreaTooLarge,
            IssueKind::FloorNotANumber,
            IssueKind::DuplicateUnit {
                unit: "1-2-301".into(),
                first_line: 0,
            },
            IssueKind::DuplicateUnit {
                unit: "".into(),
                first_line: 9_007_199_254_740_991,
            },
            IssueKind::OwnerIdMissing,
            IssueKind::EmailMalformed,
            IssueKind::ControlCharacter,
            IssueKind::BidiControl,
            IssueKind::OwnerNamedTwice {
                owner_id: "X1".into(),
                first_name: "张 三".into(),
                first_line: 1234567,
            },
            IssueKind::BlankLine,
            IssueKind::AboveHeader,
            IssueKind::RepeatedHeader,
            IssueKind::TotalRow,
        ];
        for k in &kinds {
            for lang in Lang::iter() {
                assert_eq!(roster_issue(k, lang), old_roster_issue(k, lang), "{k:?}");
            }
        }
    }
}
