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
    // --- issue 17: transfers of a unit's voting right ---
    TransferSamePerson,
    SellerVoted,
    TransferMergesMembers,
    DeedRefUnclear,
    TransferNotPending,
    TransferUnitMoved,
    MailTransferPending,
    MailTransferConfirmed,
    BallotNotChangeable,
    OwnBallotSupersedes,
    ConfirmedBallot,
    // issue 17: ballots (order of versions, corrections after closing).
    PaperOlderThanBallot,
    PaperBallotSuperseded,
    CorrectionNeedsObjection,
    NotInElectorate,
    NoProxyForItem,
    ItemsOnlyInDraft,
    ResultBeforeClosing,
    EstateChoiceNeeded,
    InvalidChoice,
    // --- issue 17: voting codes (never shown to staff when e-mailed; re-issue confirmed by a second person) ---
    CodeAlreadyIssued,
    NoCodeToReissue,
    ReissuePending,
    ReissueSamePerson,
    ReissueConfirmed,
    MailCodeReissued,
    WebCodesTitle,
    WebCodesHelp,
    WebCodesMember,
    WebCodesReason,
    WebCodesRequest,
    WebCodesPending,
    WebCodesNone,
    WebCodesRequested,
    WebCodesEmailed,
    WebCodesAskedAt,
    WebCodesPrintNow,
    WebSheetEmailed,
    WebSheetsNone,
    WebCodeHistory,
    WebCodeHistoryHelp,
    WebCodeEmailed,
    WebCodePrinted,
    WebCodeIssued,
    WebCodeRevoked,
    WebCodeReissueRequested,
    WebCodeReissued,
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
    // --- issue 17: keys and files ---
    SigningKeyUnreadable,
    CliKeyUnreadable,
    CliKeyUnreadableRetired,
    CliKeysWrapped,
    CliKeysRewrapped,
    CliBackupPlaintextKeys,
    CliModeNarrowed,
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
    // --- issue 17: the voting link asks before it signs in; the sheet names its units ---
    WebLinkTitle,
    WebLinkUnits,
    WebLinkConfirm,
    WebLinkNotMine,
    WebLinkSignedIn,
    WebLinkStay,
    WebLinkCheck,
    WebLinkShow,
    WebVotingFor,
    WebAlsoFor,
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
    // issue 17: ballots (a web ballot's notice).
    ChannelWeb,
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
    // Results figures, the published roll and the notice (issue 21, i21-results).
    FigArea,
    FigHeads,
    FigUnits,
    FigHalf,
    FigNeedAtLeast,
    FigNeedMoreThan,
    FigSubjectParticipating,
    FigSubjectChoice,
    FigSubjectCandidate,
    FigSubjectOption,
    FigOfTotal,
    FigOfParticipating,
    FigOfRespondents,
    FigShare,
    FigChecked,
    FigMet,
    FigNotMet,
    FigSep,
    FigGroupBuilding,
    FigGroupZone,
    FigChoice,
    FigCandidate,
    FigOption,
    FigElected,
    FigTied,
    FigAdopted,
    FigQuestion,
    FigAreaColumn,
    FigHeadsColumn,
    WebRollSearch,
    WebRollSearchHelp,
    WebRollFind,
    WebRollYours,
    WebRollFound,
    WebRollTooMany,
    WebRollNoMatch,
    WebRollAll,
    WebRollPage,
    WebRollPrev,
    WebRollNext,
    WebRollPages,
    WebNoticeScopeAll,
    WebNoticeScopeBuildings,
    WebNoticeScopeZones,
    WebNoticeScopeStairwells,
    WebNoticeStairwell,
    WebNoticeCandidates,
    WebNoticeQuestion,
    WebNoticeMaxChoices,
    WebNoticeIssuer,
    WebNoticeDate,
    WebNoticeContact,
    WebNoticeTimes,
    // Owner pages (issue 21, i21-owner).
    WebTextBig,
    WebTextNormal,
    WebHelpPhone,
    WebHelpNoPhone,
    WebNoCookies,
    WebSessionExpired,
    WebSessionExpiredPlain,
    WebTooManyAttemptsWait,
    WebAbstainWithCandidates,
    WebSheetReceipt,
    WebSheetReceiptHint,
    WebSheetReceiptAt,
    WebSheetReceiptCovers,
    // The estate's contact phone on the staff home page (issue 21, point 8).
    WebContactPhone,
    WebContactPhoneHelp,
    WebContactPhoneInvalid,
    WebContactPhoneSave,
    WebOpensLater,
    WebClosedEarly,
    WebClosedAtTime,
    WebCancelledReason,
    WebSkipped,
    WebSkippedCount,
    WebYourChoiceLegend,
    WebAnswerPair,
    WebAnswersSeparator,
    RuleElected,
    RuleElectedOnly,
    RuleVotesParticipating,
    RuleVotesTotal,
    /// Between the items of a list in running text.
    ListSeparator,
    // --- issue 21 (staff): dashboard, setup form, closing, error pages, roster report ---
    WebDashHeadsCount,
    WebDashUnitsCount,
    WebDashMissing,
    WebDashMet,
    WebDashReference,
    WebDashFiguresAt,
    WebDashRefresh,
    WebDashItem,
    WebDashQuorum,
    WebDashExact,
    WebDashRules,
    WebDashMembers,
    WebDashNotVoted,
    WebDashVotedShare,
    WebDashAll,
    WebDashBuildingNote,
    WebDashOneHead,
    WebDashNotVotedHelp,
    WebDashPrintList,
    WebDashCsv,
    WebDashShowList,
    WebDashPeople,
    WebDashBack,
    WebDashNoneLeft,
    WebDashUnits,
    WebDashOwnerName,
    WebDashOwnerId,
    WebDashVisit,
    WebFormFieldError,
    WebFormSummary,
    WebFormWholeNumber,
    WebFormDateTime,
    WebFormRequired,
    WebFormClosesBeforeOpens,
    WebFormRange,
    WebFormCandidateTwice,
    WebFormNoCandidates,
    WebFormSeatsOverCandidates,
    WebFormNoQuestions,
    WebFormQuestionLine,
    WebFormChooseMatter,
    WebFormChooseScope,
    WebFormCheck,
    WebCloseConfirmTitle,
    WebCloseConfirmEarly,
    WebCloseConfirmDue,
    WebCloseConfirmNotVoted,
    WebCloseConfirmReason,
    WebCloseConfirmFinal,
    WebCloseConfirmYes,
    WebCloseConfirmNo,
    WebErrorBack,
    WebRosterCounts,
    WebRosterUnits,
    WebRosterMembers,
    WebRosterDeveloper,
    WebRosterEmails,
    WebRosterPhones,
    WebRosterArea,
    WebRosterNoEmail,
    WebRosterMembersNote,
    WebRosterChanges,
    WebRosterIssues,
    WebRosterCount,
    WebRosterLines,
    WebRosterMore,
    WebRosterDetails,
    WebRosterGroupDuplicate,
    WebRosterGroupNamedTwice,
    // --- issue 21: paper (printed sheets, confirming a whole sheet, paper over a web ballot) ---
    WebSheetsHeading,
    WebSheetUnits,
    WebSheetTotalArea,
    WebSheetForUnits,
    WebSheetHowToMark,
    WebSheetPickOne,
    WebSheetReturn,
    WebSheetDate,
    WebConfirmSheet,
    WebConfirmSheetItems,
    WebPaperReplacesWeb,
    WebPaperWebFixed,
    NotAWitness,
    WebLogTitle,
    WebLogIntro,
    WebLogCheckpoints,
    WebLogNone,
    WebLogWhen,
    WebLogWhy,
    WebLogEntries,
    WebLogRoot,
    WebLogCosigned,
    WebLogDissent,
    WebLogDownloads,
    WebLogNewest,
    WebLogKeys,
    WebLogAll,
    WebLogWitnesses,
    WebLogNoWitness,
    WebLogKeysTitle,
    WebLogReasonSetup,
    WebLogReasonAnnounced,
    WebLogReasonOpened,
    WebLogReasonDaily,
    WebLogReasonClosed,
    WebLogReasonFinal,
    WebLogReasonRequested,
    WebLogProof,
    AuditDisagrees,
    CliRecordsMatch,
    CliRecordMismatch,
    CheckpointUnknown,
    WitnessDissents,
    LogCheckpointLine,
    LogCheckpointHint,
    LogWitnessedBy,
    // --- issue 19: 从众 (follow the majority) ---
    FollowNotInRules,
    WebFollow,
    WebFollowExplain,
    WebFollowJoined,
    WebFollowOffer,
    WebFollowSetting,
    WebFollowSettingHelp,
    WebFollowBasis,
    WebFollowSave,
    WebFollowOff,
    WebFollowOn,
    // --- issue 19: extending voting ---
    MailExtension,
    ExtendOnlyWhileOpen,
    ExtensionNotLater,
    ExtensionTooLong,
    WebExtendTitle,
    WebExtendHelp,
    WebExtendNewClose,
    WebExtendReason,
    WebExtendSubmit,
    WebExtended,
    WebOriginalClose,
    WebExtendLatest,
    // --- issue 19: documents ---
    DocumentType,
    DocumentsFixed,
    WebDocuments,
    WebDocumentLine,
    WebDocumentAdd,
    WebDocumentName,
    WebDocumentFile,
    WebDocumentHelp,
    WebDocumentRemove,
    WebDocumentScan,
    // --- issue 19: rounds and stairwells ---
    WebByStairwell,
    WebStairwell,
    RoundsOfConsultations,
    RoundAfterClosing,
    RoundExists,
    WebRounds,
    WebRoundLine,
    WebRoundOf,
    WebNextRound,
    WebNextRoundHelp,
    WebNextRoundAssembly,
    // --- issue 19: volunteers ---
    VolunteerCreatorConfirms,
    WebVolunteerHeads,
    WebVolunteerAreaShort,
    LoginTaken,
    VolunteersRoundOnly,
    RosterTooManyRows,
    WebSmsSettingSave,
    WebSmsSignIn,
    WebSmsSent,
    WebSmsCodeLabel,
    WebSmsNoCode,
    WebSmsHelp,
    WebSmsPhoneLabel,
    WebSmsSendCode,
    WebSmsUseCode,
    WebSmsBadCode,
    WebSmsRecordTitle,
    WebSmsBackToSheet,
    WebSmsChannelsTitle,
    WebSmsChannelsLegend,
    WebSmsAlertsAlways,
    WebSmsSave,
    WebSmsDeliveries,
    WebSmsNoDeliveries,
    WebSmsChannel,
    WebSmsSentAt,
    WebSmsDelivery,
    WebSmsOtherNotice,
    WebSmsBoth,
    WebSmsOnlySms,
    WebSmsOnlyEmail,
    WebSmsChannelSms,
    WebSmsChannelEmail,
    WebSmsNotSent,
    WebSmsWaiting,
    WebSmsDelivered,
    WebSmsUndelivered,
    WebSmsUnknown,
    WebSmsChannelsSaved,
    WebSmsSetting,
    WebSmsOn,
    WebSmsOff,
    WebSmsSettingHelp,
    WebSmsPerOwner,
    WebSmsPerDay,
    WebSmsRecordLink,
    SmsSignInOnlyWhileOpen,
    SmsNotOffered,
    WebSmsForecast,
    WebSmsTexted,
    SmsAnnouncement,
    SmsInvitation,
    SmsReminder,
    SmsBallotRecorded,
    SmsResult,
    SmsExtension,
    SmsCancellation,
    SmsSignInCode,
    VolunteersOnly,
    RoundOnlyWhileOpen,
    WebVolunteerTitle,
    WebVolunteerAreas,
    WebVolunteerNoRound,
    WebVolunteerCloses,
    WebVolunteerBuilding,
    WebVolunteerStairwell,
    WebVolunteerTurnout,
    WebVolunteerMissing,
    WebVolunteerReached,
    WebVolunteerDoors,
    WebVolunteerNoDoors,
    WebVolunteerLastVisit,
    WebVisitNotHome,
    WebVisitOnline,
    WebVisitPaper,
    WebVisitRefused,
    WebVisitOutcome,
    WebVisitNote,
    WebVisitRecord,
    WebVolunteerPaper,
    WebVolunteerDoorList,
    WebVolunteerDoorListTitle,
    WebVolunteerDoorListHelp,
    WebVolunteers,
    WebVolunteersHelp,
    WebVolunteerLine,
    WebVolunteerCreate,
    WebVolunteerLogin,
    WebVolunteerName,
    WebVolunteerBuildings,
    WebVolunteerStairwells,
    WebVolunteerCreated,
    // --- issue 19: candidates ---
    WebSheetStatement,
    WebSheetStatements,
    WebCandidateHeading,
    CandidatesOfElections,
    CandidatesFixed,
    CandidateReviewSamePerson,
    CandidateNotReviewed,
    WebCandidateUnits,
    WebCandidateNominated,
    WebCandidatePhoto,
    WebCandidateRegister,
    WebCandidateRegisterHelp,
    WebCandidateName,
    WebCandidateUnitsField,
    WebCandidateStatement,
    WebCandidateNominatedField,
    WebCandidatePhotoField,
    WebCandidateNoPhoto,
    WebCandidateDeclarations,
    WebCandidateSave,
    WebCandidateReview,
    WebCandidateEligible,
    WebCandidateRejected,
    WebCandidateAwaiting,
    WebCandidateMissing,
    WebCandidateReviewReason,
    WebCandidateApprove,
    WebCandidateReject,
    WebCandidateDeclarationsSetting,
    WebCandidateDeclarationsHelp,
    WebCandidateDeclarationsSave,
    WebCandidateYes,
    WebCandidateNo,
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
            Msg::TransferSamePerson => "transfer_same_person",
            Msg::SellerVoted => "seller_voted",
            Msg::TransferMergesMembers => "transfer_merges_members",
            Msg::DeedRefUnclear => "deed_ref_unclear",
            Msg::TransferNotPending => "transfer_not_pending",
            Msg::TransferUnitMoved => "transfer_unit_moved",
            Msg::MailTransferPending => "mail_transfer_pending",
            Msg::MailTransferConfirmed => "mail_transfer_confirmed",
            Msg::BallotNotChangeable => "ballot_not_changeable",
            Msg::OwnBallotSupersedes => "own_ballot_supersedes",
            Msg::ConfirmedBallot => "confirmed_ballot",
            Msg::PaperOlderThanBallot => "paper_older_than_ballot",
            Msg::PaperBallotSuperseded => "paper_ballot_superseded",
            Msg::CorrectionNeedsObjection => "correction_needs_objection",
            Msg::NotInElectorate => "not_in_electorate",
            Msg::NoProxyForItem => "no_proxy",
            Msg::ItemsOnlyInDraft => "items_only_in_draft",
            Msg::FollowNotInRules => "follow_not_in_rules",
            Msg::WebFollow => "web.follow",
            Msg::WebFollowExplain => "web.follow_explain",
            Msg::WebFollowJoined => "web.follow_joined",
            Msg::WebFollowOffer => "web.follow_offer",
            Msg::WebFollowSetting => "web.follow_setting",
            Msg::WebFollowSettingHelp => "web.follow_setting_help",
            Msg::WebFollowBasis => "web.follow_basis",
            Msg::WebFollowSave => "web.follow_save",
            Msg::WebFollowOff => "web.follow_off",
            Msg::WebFollowOn => "web.follow_on",
            Msg::MailExtension => "mail_extension",
            Msg::ExtendOnlyWhileOpen => "extend_only_while_open",
            Msg::ExtensionNotLater => "extension_not_later",
            Msg::ExtensionTooLong => "extension_too_long",
            Msg::WebExtendTitle => "web.extend_title",
            Msg::WebExtendHelp => "web.extend_help",
            Msg::WebExtendNewClose => "web.extend_new_close",
            Msg::WebExtendReason => "web.extend_reason",
            Msg::WebExtendSubmit => "web.extend_submit",
            Msg::WebExtended => "web.extended",
            Msg::WebOriginalClose => "web.original_close",
            Msg::WebExtendLatest => "web.extend_latest",
            Msg::DocumentType => "document_type",
            Msg::DocumentsFixed => "documents_fixed",
            Msg::WebDocuments => "web.documents",
            Msg::WebDocumentLine => "web.document_line",
            Msg::WebDocumentAdd => "web.document_add",
            Msg::WebDocumentName => "web.document_name",
            Msg::WebDocumentFile => "web.document_file",
            Msg::WebDocumentHelp => "web.document_help",
            Msg::WebDocumentRemove => "web.document_remove",
            Msg::WebDocumentScan => "web.document_scan",
            Msg::WebByStairwell => "web.by_stairwell",
            Msg::WebStairwell => "web.stairwell",
            Msg::RoundsOfConsultations => "rounds_of_consultations",
            Msg::RoundAfterClosing => "round_after_closing",
            Msg::RoundExists => "round_exists",
            Msg::WebRounds => "web.rounds",
            Msg::WebRoundLine => "web.round_line",
            Msg::WebRoundOf => "web.round_of",
            Msg::WebNextRound => "web.next_round",
            Msg::WebNextRoundHelp => "web.next_round_help",
            Msg::WebNextRoundAssembly => "web.next_round_assembly",
            Msg::CandidatesOfElections => "candidates_of_elections",
            Msg::CandidatesFixed => "candidates_fixed",
            Msg::CandidateReviewSamePerson => "candidate_review_same_person",
            Msg::CandidateNotReviewed => "candidate_not_reviewed",
            Msg::LoginTaken => "login_taken",
            Msg::VolunteerCreatorConfirms => "volunteer_creator_confirms",
            Msg::WebVolunteerHeads => "web.volunteer_heads",
            Msg::WebVolunteerAreaShort => "web.volunteer_area_short",
            Msg::VolunteersRoundOnly => "volunteers_round_only",
            Msg::RosterTooManyRows => "roster.too_many_rows",
            Msg::WebSmsSettingSave => "web.sms_setting_save",
            Msg::WebSmsSignIn => "web.sms_sign_in",
            Msg::WebSmsSent => "web.sms_sent",
            Msg::WebSmsCodeLabel => "web.sms_code_label",
            Msg::WebSmsNoCode => "web.sms_no_code",
            Msg::WebSmsHelp => "web.sms_help",
            Msg::WebSmsPhoneLabel => "web.sms_phone_label",
            Msg::WebSmsSendCode => "web.sms_send_code",
            Msg::WebSmsUseCode => "web.sms_use_code",
            Msg::WebSmsBadCode => "web.sms_bad_code",
            Msg::WebSmsRecordTitle => "web.sms_record_title",
            Msg::WebSmsBackToSheet => "web.sms_back_to_sheet",
            Msg::WebSmsChannelsTitle => "web.sms_channels_title",
            Msg::WebSmsChannelsLegend => "web.sms_channels_legend",
            Msg::WebSmsAlertsAlways => "web.sms_alerts_always",
            Msg::WebSmsSave => "web.sms_save",
            Msg::WebSmsDeliveries => "web.sms_deliveries",
            Msg::WebSmsNoDeliveries => "web.sms_no_deliveries",
            Msg::WebSmsChannel => "web.sms_channel",
            Msg::WebSmsSentAt => "web.sms_sent_at",
            Msg::WebSmsDelivery => "web.sms_delivery",
            Msg::WebSmsOtherNotice => "web.sms_other_notice",
            Msg::WebSmsBoth => "web.sms_both",
            Msg::WebSmsOnlySms => "web.sms_only_sms",
            Msg::WebSmsOnlyEmail => "web.sms_only_email",
            Msg::WebSmsChannelSms => "web.sms_channel_sms",
            Msg::WebSmsChannelEmail => "web.sms_channel_email",
            Msg::WebSmsNotSent => "web.sms_not_sent",
            Msg::WebSmsWaiting => "web.sms_waiting",
            Msg::WebSmsDelivered => "web.sms_delivered",
            Msg::WebSmsUndelivered => "web.sms_undelivered",
            Msg::WebSmsUnknown => "web.sms_unknown",
            Msg::WebSmsChannelsSaved => "web.sms_channels_saved",
            Msg::WebSmsSetting => "web.sms_setting",
            Msg::WebSmsOn => "web.sms_on",
            Msg::WebSmsOff => "web.sms_off",
            Msg::WebSmsSettingHelp => "web.sms_setting_help",
            Msg::WebSmsPerOwner => "web.sms_per_owner",
            Msg::WebSmsPerDay => "web.sms_per_day",
            Msg::WebSmsRecordLink => "web.sms_record_link",
            Msg::SmsSignInOnlyWhileOpen => "sms_sign_in_only_while_open",
            Msg::SmsNotOffered => "sms_not_offered",
            Msg::WebSmsForecast => "web.sms_forecast",
            Msg::WebSmsTexted => "web.sms_texted",
            Msg::SmsAnnouncement => "sms.announcement",
            Msg::SmsInvitation => "sms.invitation",
            Msg::SmsReminder => "sms.reminder",
            Msg::SmsBallotRecorded => "sms.ballot_recorded",
            Msg::SmsResult => "sms.result",
            Msg::SmsExtension => "sms.extension",
            Msg::SmsCancellation => "sms.cancellation",
            Msg::SmsSignInCode => "sms.sign_in_code",
            Msg::VolunteersOnly => "volunteers_only",
            Msg::RoundOnlyWhileOpen => "round_only_while_open",
            Msg::WebVolunteerTitle => "web.volunteer_title",
            Msg::WebVolunteerAreas => "web.volunteer_areas",
            Msg::WebVolunteerNoRound => "web.volunteer_no_round",
            Msg::WebVolunteerCloses => "web.volunteer_closes",
            Msg::WebVolunteerBuilding => "web.volunteer_building",
            Msg::WebVolunteerStairwell => "web.volunteer_stairwell",
            Msg::WebVolunteerTurnout => "web.volunteer_turnout",
            Msg::WebVolunteerMissing => "web.volunteer_missing",
            Msg::WebVolunteerReached => "web.volunteer_reached",
            Msg::WebVolunteerDoors => "web.volunteer_doors",
            Msg::WebVolunteerNoDoors => "web.volunteer_no_doors",
            Msg::WebVolunteerLastVisit => "web.volunteer_last_visit",
            Msg::WebVisitNotHome => "web.visit_not_home",
            Msg::WebVisitOnline => "web.visit_online",
            Msg::WebVisitPaper => "web.visit_paper",
            Msg::WebVisitRefused => "web.visit_refused",
            Msg::WebVisitOutcome => "web.visit_outcome",
            Msg::WebVisitNote => "web.visit_note",
            Msg::WebVisitRecord => "web.visit_record",
            Msg::WebVolunteerPaper => "web.volunteer_paper",
            Msg::WebVolunteerDoorList => "web.volunteer_door_list",
            Msg::WebVolunteerDoorListTitle => "web.volunteer_door_list_title",
            Msg::WebVolunteerDoorListHelp => "web.volunteer_door_list_help",
            Msg::WebVolunteers => "web.volunteers",
            Msg::WebVolunteersHelp => "web.volunteers_help",
            Msg::WebVolunteerLine => "web.volunteer_line",
            Msg::WebVolunteerCreate => "web.volunteer_create",
            Msg::WebVolunteerLogin => "web.volunteer_login",
            Msg::WebVolunteerName => "web.volunteer_name",
            Msg::WebVolunteerBuildings => "web.volunteer_buildings",
            Msg::WebVolunteerStairwells => "web.volunteer_stairwells",
            Msg::WebVolunteerCreated => "web.volunteer_created",
            Msg::WebCandidateHeading => "web.candidate_heading",
            Msg::WebSheetStatement => "web.sheet_statement",
            Msg::WebSheetStatements => "web.sheet_statements",
            Msg::WebCandidateUnits => "web.candidate_units",
            Msg::WebCandidateNominated => "web.candidate_nominated",
            Msg::WebCandidatePhoto => "web.candidate_photo",
            Msg::WebCandidateRegister => "web.candidate_register",
            Msg::WebCandidateRegisterHelp => "web.candidate_register_help",
            Msg::WebCandidateName => "web.candidate_name",
            Msg::WebCandidateUnitsField => "web.candidate_units_field",
            Msg::WebCandidateStatement => "web.candidate_statement",
            Msg::WebCandidateNominatedField => "web.candidate_nominated_field",
            Msg::WebCandidatePhotoField => "web.candidate_photo_field",
            Msg::WebCandidateNoPhoto => "web.candidate_no_photo",
            Msg::WebCandidateDeclarations => "web.candidate_declarations",
            Msg::WebCandidateSave => "web.candidate_save",
            Msg::WebCandidateReview => "web.candidate_review",
            Msg::WebCandidateEligible => "web.candidate_eligible",
            Msg::WebCandidateRejected => "web.candidate_rejected",
            Msg::WebCandidateAwaiting => "web.candidate_awaiting",
            Msg::WebCandidateMissing => "web.candidate_missing",
            Msg::WebCandidateReviewReason => "web.candidate_review_reason",
            Msg::WebCandidateApprove => "web.candidate_approve",
            Msg::WebCandidateReject => "web.candidate_reject",
            Msg::WebCandidateDeclarationsSetting => "web.candidate_declarations_setting",
            Msg::WebCandidateDeclarationsHelp => "web.candidate_declarations_help",
            Msg::WebCandidateDeclarationsSave => "web.candidate_declarations_save",
            Msg::WebCandidateYes => "web.candidate_yes",
            Msg::WebCandidateNo => "web.candidate_no",
            Msg::ResultBeforeClosing => "result_before_closing",
            Msg::EstateChoiceNeeded => "estate_needed",
            Msg::InvalidChoice => "invalid_choice",
            Msg::CodeAlreadyIssued => "code_already_issued",
            Msg::NoCodeToReissue => "no_code_to_reissue",
            Msg::ReissuePending => "reissue_pending",
            Msg::ReissueSamePerson => "reissue_same_person",
            Msg::ReissueConfirmed => "reissue_confirmed",
            Msg::MailCodeReissued => "mail_code_reissued",
            Msg::WebCodesTitle => "web.codes.title",
            Msg::WebCodesHelp => "web.codes.help",
            Msg::WebCodesMember => "web.codes.member",
            Msg::WebCodesReason => "web.codes.reason",
            Msg::WebCodesRequest => "web.codes.request",
            Msg::WebCodesPending => "web.codes.pending",
            Msg::WebCodesNone => "web.codes.none",
            Msg::WebCodesRequested => "web.codes.requested",
            Msg::WebCodesEmailed => "web.codes.emailed",
            Msg::WebCodesAskedAt => "web.codes.asked_at",
            Msg::WebCodesPrintNow => "web.codes.print_now",
            Msg::WebSheetEmailed => "web.sheet.emailed",
            Msg::WebSheetsNone => "web.sheets.none",
            Msg::WebCodeHistory => "web.code.history",
            Msg::WebCodeHistoryHelp => "web.code.history_help",
            Msg::WebCodeEmailed => "web.code.emailed",
            Msg::WebCodePrinted => "web.code.printed",
            Msg::WebCodeIssued => "web.code.issued",
            Msg::WebCodeRevoked => "web.code.revoked",
            Msg::WebCodeReissueRequested => "web.code.reissue_requested",
            Msg::WebCodeReissued => "web.code.reissued",
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
            Msg::SigningKeyUnreadable => "signing_key_unreadable",
            Msg::CliKeyUnreadable => "cli_key_unreadable",
            Msg::CliKeyUnreadableRetired => "cli_key_unreadable_retired",
            Msg::CliKeysWrapped => "cli_keys_wrapped",
            Msg::CliKeysRewrapped => "cli_keys_rewrapped",
            Msg::CliBackupPlaintextKeys => "cli_backup_plaintext_keys",
            Msg::CliModeNarrowed => "cli_mode_narrowed",
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
            Msg::WebLinkTitle => "web.link_title",
            Msg::WebLinkUnits => "web.link_units",
            Msg::WebLinkConfirm => "web.link_confirm",
            Msg::WebLinkNotMine => "web.link_not_mine",
            Msg::WebLinkSignedIn => "web.link_signed_in",
            Msg::WebLinkStay => "web.link_stay",
            Msg::WebLinkCheck => "web.link_check",
            Msg::WebLinkShow => "web.link_show",
            Msg::WebVotingFor => "web.voting_for",
            Msg::WebAlsoFor => "web.also_for",
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
            Msg::ChannelWeb => "channel_web",
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
            Msg::FigArea => "fig.area",
            Msg::FigHeads => "fig.heads",
            Msg::FigUnits => "fig.units",
            Msg::FigHalf => "fig.half",
            Msg::FigNeedAtLeast => "fig.need_at_least",
            Msg::FigNeedMoreThan => "fig.need_more_than",
            Msg::FigSubjectParticipating => "fig.subject_participating",
            Msg::FigSubjectChoice => "fig.subject_choice",
            Msg::FigSubjectCandidate => "fig.subject_candidate",
            Msg::FigSubjectOption => "fig.subject_option",
            Msg::FigOfTotal => "fig.of_total",
            Msg::FigOfParticipating => "fig.of_participating",
            Msg::FigOfRespondents => "fig.of_respondents",
            Msg::FigShare => "fig.share",
            Msg::FigChecked => "fig.checked",
            Msg::FigMet => "fig.met",
            Msg::FigNotMet => "fig.not_met",
            Msg::FigSep => "fig.sep",
            Msg::FigGroupBuilding => "fig.group_building",
            Msg::FigGroupZone => "fig.group_zone",
            Msg::FigChoice => "fig.choice",
            Msg::FigCandidate => "fig.candidate",
            Msg::FigOption => "fig.option",
            Msg::FigElected => "fig.elected",
            Msg::FigTied => "fig.tied",
            Msg::FigAdopted => "fig.adopted",
            Msg::FigQuestion => "fig.question",
            Msg::FigAreaColumn => "fig.area_column",
            Msg::FigHeadsColumn => "fig.heads_column",
            Msg::WebRollSearch => "web.roll.search",
            Msg::WebRollSearchHelp => "web.roll.search_help",
            Msg::WebRollFind => "web.roll.find",
            Msg::WebRollYours => "web.roll.yours",
            Msg::WebRollFound => "web.roll.found",
            Msg::WebRollTooMany => "web.roll.too_many",
            Msg::WebRollNoMatch => "web.roll.no_match",
            Msg::WebRollAll => "web.roll.all",
            Msg::WebRollPage => "web.roll.page",
            Msg::WebRollPrev => "web.roll.prev",
            Msg::WebRollNext => "web.roll.next",
            Msg::WebRollPages => "web.roll.pages",
            Msg::WebNoticeScopeAll => "web.notice.scope_all",
            Msg::WebNoticeScopeBuildings => "web.notice.scope_buildings",
            Msg::WebNoticeScopeZones => "web.notice.scope_zones",
            Msg::WebNoticeScopeStairwells => "web.notice.scope_stairwells",
            Msg::WebNoticeStairwell => "web.notice.stairwell",
            Msg::WebNoticeCandidates => "web.notice.candidates",
            Msg::WebNoticeQuestion => "web.notice.question",
            Msg::WebNoticeMaxChoices => "web.notice.max_choices",
            Msg::WebNoticeIssuer => "web.notice.issuer",
            Msg::WebNoticeDate => "web.notice.date",
            Msg::WebNoticeContact => "web.notice.contact",
            Msg::WebNoticeTimes => "web.notice.times",
            Msg::WebTextBig => "web.text_big",
            Msg::WebTextNormal => "web.text_normal",
            Msg::WebHelpPhone => "web.help_phone",
            Msg::WebHelpNoPhone => "web.help_no_phone",
            Msg::WebNoCookies => "web.no_cookies",
            Msg::WebSessionExpired => "web.session_expired",
            Msg::WebSessionExpiredPlain => "web.session_expired_plain",
            Msg::WebTooManyAttemptsWait => "web.too_many_attempts_wait",
            Msg::WebAbstainWithCandidates => "web.abstain_with_candidates",
            Msg::WebSheetReceipt => "web.sheet_receipt",
            Msg::WebSheetReceiptHint => "web.sheet_receipt_hint",
            Msg::WebSheetReceiptAt => "web.sheet_receipt_at",
            Msg::WebSheetReceiptCovers => "web.sheet_receipt_covers",
            Msg::WebContactPhone => "web.contact_phone",
            Msg::WebContactPhoneHelp => "web.contact_phone_help",
            Msg::WebContactPhoneInvalid => "web.contact_phone_invalid",
            Msg::WebContactPhoneSave => "web.contact_phone_save",
            Msg::WebOpensLater => "web.opens_later",
            Msg::WebClosedEarly => "web.closed_early",
            Msg::WebClosedAtTime => "web.closed_at_time",
            Msg::WebCancelledReason => "web.cancelled_reason",
            Msg::WebSkipped => "web.skipped",
            Msg::WebSkippedCount => "web.skipped_count",
            Msg::WebYourChoiceLegend => "web.your_choice_legend",
            Msg::WebAnswerPair => "web.answer_pair",
            Msg::WebAnswersSeparator => "web.answers_separator",
            Msg::RuleElected => "rule.elected",
            Msg::RuleElectedOnly => "rule.elected_only",
            Msg::RuleVotesParticipating => "rule.votes_participating",
            Msg::RuleVotesTotal => "rule.votes_total",
            Msg::ListSeparator => "list_separator",
            Msg::WebDashHeadsCount => "web.dash.heads_count",
            Msg::WebDashUnitsCount => "web.dash.units_count",
            Msg::WebDashMissing => "web.dash.missing",
            Msg::WebDashMet => "web.dash.met",
            Msg::WebDashReference => "web.dash.reference",
            Msg::WebDashFiguresAt => "web.dash.figures_at",
            Msg::WebDashRefresh => "web.dash.refresh",
            Msg::WebDashItem => "web.dash.item",
            Msg::WebDashQuorum => "web.dash.quorum",
            Msg::WebDashExact => "web.dash.exact",
            Msg::WebDashRules => "web.dash.rules",
            Msg::WebDashMembers => "web.dash.members",
            Msg::WebDashNotVoted => "web.dash.not_voted",
            Msg::WebDashVotedShare => "web.dash.voted_share",
            Msg::WebDashAll => "web.dash.all",
            Msg::WebDashBuildingNote => "web.dash.building_note",
            Msg::WebDashOneHead => "web.dash.one_head",
            Msg::WebDashNotVotedHelp => "web.dash.not_voted_help",
            Msg::WebDashPrintList => "web.dash.print_list",
            Msg::WebDashCsv => "web.dash.csv",
            Msg::WebDashShowList => "web.dash.show_list",
            Msg::WebDashPeople => "web.dash.people",
            Msg::WebDashBack => "web.dash.back",
            Msg::WebDashNoneLeft => "web.dash.none_left",
            Msg::WebDashUnits => "web.dash.units",
            Msg::WebDashOwnerName => "web.dash.owner_name",
            Msg::WebDashOwnerId => "web.dash.owner_id",
            Msg::WebDashVisit => "web.dash.visit",
            Msg::WebFormFieldError => "web.form.field_error",
            Msg::WebFormSummary => "web.form.summary",
            Msg::WebFormWholeNumber => "web.form.whole_number",
            Msg::WebFormDateTime => "web.form.date_time",
            Msg::WebFormRequired => "web.form.required",
            Msg::WebFormClosesBeforeOpens => "web.form.closes_before_opens",
            Msg::WebFormRange => "web.form.range",
            Msg::WebFormCandidateTwice => "web.form.candidate_twice",
            Msg::WebFormNoCandidates => "web.form.no_candidates",
            Msg::WebFormSeatsOverCandidates => "web.form.seats_over_candidates",
            Msg::WebFormNoQuestions => "web.form.no_questions",
            Msg::WebFormQuestionLine => "web.form.question_line",
            Msg::WebFormChooseMatter => "web.form.choose_matter",
            Msg::WebFormChooseScope => "web.form.choose_scope",
            Msg::WebFormCheck => "web.form.check",
            Msg::WebCloseConfirmTitle => "web.close_confirm.title",
            Msg::WebCloseConfirmEarly => "web.close_confirm.early",
            Msg::WebCloseConfirmDue => "web.close_confirm.due",
            Msg::WebCloseConfirmNotVoted => "web.close_confirm.not_voted",
            Msg::WebCloseConfirmReason => "web.close_confirm.reason",
            Msg::WebCloseConfirmFinal => "web.close_confirm.final",
            Msg::WebCloseConfirmYes => "web.close_confirm.yes",
            Msg::WebCloseConfirmNo => "web.close_confirm.no",
            Msg::WebErrorBack => "web.error_back",
            Msg::WebRosterCounts => "web.roster.counts",
            Msg::WebRosterUnits => "web.roster.units",
            Msg::WebRosterMembers => "web.roster.members",
            Msg::WebRosterDeveloper => "web.roster.developer",
            Msg::WebRosterEmails => "web.roster.emails",
            Msg::WebRosterPhones => "web.roster.phones",
            Msg::WebRosterArea => "web.roster.area",
            Msg::WebRosterNoEmail => "web.roster.no_email",
            Msg::WebRosterMembersNote => "web.roster.members_note",
            Msg::WebRosterChanges => "web.roster.changes",
            Msg::WebRosterIssues => "web.roster.issues",
            Msg::WebRosterCount => "web.roster.count",
            Msg::WebRosterLines => "web.roster.lines",
            Msg::WebRosterMore => "web.roster.more",
            Msg::WebRosterDetails => "web.roster.details",
            Msg::WebRosterGroupDuplicate => "web.roster.group_duplicate",
            Msg::WebRosterGroupNamedTwice => "web.roster.group_named_twice",
            Msg::WebSheetsHeading => "web.sheets.heading",
            Msg::WebSheetUnits => "web.sheet.units",
            Msg::WebSheetTotalArea => "web.sheet.total_area",
            Msg::WebSheetForUnits => "web.sheet.for_units",
            Msg::WebSheetHowToMark => "web.sheet.how_to_mark",
            Msg::WebSheetPickOne => "web.sheet.pick_one",
            Msg::WebSheetReturn => "web.sheet.return",
            Msg::WebSheetDate => "web.sheet.date",
            Msg::WebConfirmSheet => "web.confirm.sheet",
            Msg::WebConfirmSheetItems => "web.confirm.sheet_items",
            Msg::WebPaperReplacesWeb => "web.paper.replaces_web",
            Msg::WebPaperWebFixed => "web.paper.web_fixed",
            Msg::NotAWitness => "not_a_witness",
            Msg::WebLogTitle => "web.log.title",
            Msg::WebLogIntro => "web.log.intro",
            Msg::WebLogCheckpoints => "web.log.checkpoints",
            Msg::WebLogNone => "web.log.none",
            Msg::WebLogWhen => "web.log.when",
            Msg::WebLogWhy => "web.log.why",
            Msg::WebLogEntries => "web.log.entries",
            Msg::WebLogRoot => "web.log.root",
            Msg::WebLogCosigned => "web.log.cosigned",
            Msg::WebLogDissent => "web.log.dissent",
            Msg::WebLogDownloads => "web.log.downloads",
            Msg::WebLogNewest => "web.log.newest",
            Msg::WebLogKeys => "web.log.keys",
            Msg::WebLogAll => "web.log.all",
            Msg::WebLogWitnesses => "web.log.witnesses",
            Msg::WebLogNoWitness => "web.log.no_witness",
            Msg::WebLogKeysTitle => "web.log.keys_title",
            Msg::WebLogReasonSetup => "web.log.reason_setup",
            Msg::WebLogReasonAnnounced => "web.log.reason_announced",
            Msg::WebLogReasonOpened => "web.log.reason_opened",
            Msg::WebLogReasonDaily => "web.log.reason_daily",
            Msg::WebLogReasonClosed => "web.log.reason_closed",
            Msg::WebLogReasonFinal => "web.log.reason_final",
            Msg::WebLogReasonRequested => "web.log.reason_requested",
            Msg::WebLogProof => "web.log.proof",
            Msg::AuditDisagrees => "audit_disagrees",
            Msg::CliRecordsMatch => "cli_records_match",
            Msg::CliRecordMismatch => "cli_record_mismatch",
            Msg::CheckpointUnknown => "checkpoint_unknown",
            Msg::WitnessDissents => "witness_dissents",
            Msg::LogCheckpointLine => "log.checkpoint_line",
            Msg::LogCheckpointHint => "log.checkpoint_hint",
            Msg::LogWitnessedBy => "log.witnessed_by",
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
        IssueKind::TooManyRows { limit } => {
            Msg::RosterTooManyRows.text_with(lang, &[("limit", (*limit).into())])
        }
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
