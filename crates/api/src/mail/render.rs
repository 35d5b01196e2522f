//! Renders a notice: the subject from the catalogue (`i18n.rs`), the plain-text and HTML bodies
//! from askama templates under `templates/mail/` (one pair per kind, zh-CN and en in each).

use askama::Template;

use crate::i18n::{Lang, Msg};
use crate::usecases::UseCaseError;

/// What a notice is about; stored in the outbox's `kind`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[schema(as = NoticeKind)]
pub enum Kind {
    /// The assembly was announced: agenda and timetable (to every owner).
    Announcement,
    /// The owner's personal link and voting code.
    Invitation,
    /// To members who have not voted yet, while voting is open.
    Reminder,
    /// Each item's outcome, after closing.
    Result,
    /// A ballot was recorded in the owner's name (online with their code, on paper once
    /// confirmed, by their proxy), with its receipt: an early warning against forgery.
    BallotRecorded,
    /// The assembly was cancelled, with the reason (to every owner, once they may have heard of it).
    Cancellation,
    /// Voting was extended: the new closing time, the one it replaces, and why (to every member).
    Extension,
    /// To the seller: a transfer of their unit's vote was recorded and waits for a second
    /// person's confirmation (a forged transfer is noticed before it takes effect).
    TransferPending,
    /// To the seller: the transfer was confirmed, the unit now votes with its new owner.
    TransferConfirmed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Announcement => "announcement",
            Kind::Invitation => "invitation",
            Kind::Reminder => "reminder",
            Kind::Result => "result",
            Kind::BallotRecorded => "ballot_recorded",
            Kind::Cancellation => "cancellation",
            Kind::Extension => "extension",
            Kind::TransferPending => "transfer_pending",
            Kind::TransferConfirmed => "transfer_confirmed",
        }
    }

    pub fn subject(self) -> Msg {
        match self {
            Kind::Announcement => Msg::MailAnnouncement,
            Kind::Invitation => Msg::MailInvitation,
            Kind::Reminder => Msg::MailReminder,
            Kind::Result => Msg::MailResult,
            Kind::BallotRecorded => Msg::MailBallotRecorded,
            Kind::Cancellation => Msg::MailCancellation,
            Kind::Extension => Msg::MailExtension,
            Kind::TransferPending => Msg::MailTransferPending,
            Kind::TransferConfirmed => Msg::MailTransferConfirmed,
        }
    }
}

/// One item of the ballot sheet as a notice shows it.
#[derive(Debug, Clone)]
pub struct ItemLine {
    pub position: i32,
    pub title: String,
    /// `表决事项` / `motion`, …
    pub kind: String,
    /// In the result notice: the outcome in words; empty elsewhere.
    pub outcome: String,
    /// In the result notice: how many owners and how much area took part, of the total.
    pub participation: String,
}

/// One item of a ballot recorded for the owner, with the receipt to find it by later.
#[derive(Debug, Clone)]
pub struct RecordedItem {
    pub title: String,
    /// The receipt's short form, as the owner's pages show it (`9F3A-21C0-7B44`).
    pub receipt: String,
}

/// Everything a template may show. Fields a kind does not use stay empty.
#[derive(Debug, Clone)]
pub struct View {
    pub lang: Lang,
    /// How the owner is greeted: their name from the roster, else "owner".
    pub name: String,
    /// The owner's units, e.g. `1-1-101、1-1-201`.
    pub units: String,
    pub estate: String,
    pub title: String,
    /// Times in China Standard Time, e.g. `2026-12-20 09:00`.
    pub opens_at: String,
    pub closes_at: String,
    pub items: Vec<ItemLine>,
    /// The service's address, and the owner's personal link `{public_url}/v/{code}`.
    pub site: String,
    pub link: String,
    pub code: String,
    /// The ballot recorded for the owner: by what channel, on which items (each with its
    /// receipt), when.
    pub channel: String,
    pub recorded_items: Vec<RecordedItem>,
    pub recorded_at: String,
    /// How it was recorded: `web` (with the owner's code), `paper` or `proxy`; the notice's
    /// advice differs (who can replace it, and how).
    pub recorded_by: &'static str,
    /// Whether the assembly lets a member change a ballot while voting is open.
    pub changeable: bool,
    /// Whether the assembly has an objection period after closing (`objection_days` > 0).
    pub objections: bool,
    /// A correction recorded after voting closed (during the objection period): the owner can
    /// no longer vote, only object before `objections_until`.
    pub correction: bool,
    /// While the result is preliminary: the end of the objection period (China Standard Time);
    /// empty otherwise (before closing, or once the result is final).
    pub objections_until: String,
    /// The result notice: whether the result is final (the signed export exists).
    pub is_final: bool,
    /// An extension notice: the closing time voting was extended from (China Standard Time);
    /// `closes_at` is then the new one.
    pub extended_from: String,
    /// Why the assembly was cancelled (the cancellation notice), why voting was extended (the
    /// extension notice), or why the owner's code was re-issued (an invitation with
    /// `reissued_at`).
    pub reason: String,
    /// An invitation whose code replaces an earlier one: when the re-issue was confirmed
    /// (China Standard Time); empty for a first invitation.
    pub reissued_at: String,
    /// A transfer of a unit's vote (the transfer notices): the unit and the deed's reference;
    /// `transfer_confirmed` once it took effect.
    pub transfer_unit: String,
    pub deed_ref: String,
    pub transfer_confirmed: bool,
    /// A trial estate's notice: marked 试用/TRIAL in the subject and at the top of each body.
    pub trial: bool,
    /// The log's newest checkpoint in words (empty before the first), and how to keep it.
    pub checkpoint_line: String,
    pub checkpoint_hint: String,
}

impl View {
    pub fn en(&self) -> bool {
        self.lang == Lang::En
    }

    /// The trial banner (empty for a real estate).
    pub fn trial_banner(&self) -> &'static str {
        if self.trial {
            Msg::TrialBanner.text(self.lang)
        } else {
            ""
        }
    }
}

/// A rendered notice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

macro_rules! templates {
    ($($name:ident => $path:literal),* $(,)?) => {
        $(
            #[derive(Template)]
            #[template(path = $path)]
            struct $name<'a> {
                v: &'a View,
            }
        )*
    };
}

templates! {
    AnnouncementText => "mail/announcement.txt",
    AnnouncementHtml => "mail/announcement.html",
    InvitationText => "mail/invitation.txt",
    InvitationHtml => "mail/invitation.html",
    ReminderText => "mail/reminder.txt",
    ReminderHtml => "mail/reminder.html",
    ResultText => "mail/result.txt",
    ResultHtml => "mail/result.html",
    BallotRecordedText => "mail/ballot_recorded.txt",
    BallotRecordedHtml => "mail/ballot_recorded.html",
    CancellationText => "mail/cancellation.txt",
    CancellationHtml => "mail/cancellation.html",
    ExtensionText => "mail/extension.txt",
    ExtensionHtml => "mail/extension.html",
    TransferText => "mail/transfer.txt",
    TransferHtml => "mail/transfer.html",
}

fn render_pair(
    text: &dyn askama::DynTemplate,
    html: &dyn askama::DynTemplate,
) -> Result<(String, String), UseCaseError> {
    let failed = |e: askama::Error| UseCaseError::Internal(format!("rendering a notice: {e}"));
    Ok((
        text.dyn_render().map_err(failed)?,
        html.dyn_render().map_err(failed)?,
    ))
}

/// Renders `kind` for one owner.
pub fn render(kind: Kind, v: &View) -> Result<Rendered, UseCaseError> {
    let (text, html) = match kind {
        Kind::Announcement => render_pair(&AnnouncementText { v }, &AnnouncementHtml { v })?,
        Kind::Invitation => render_pair(&InvitationText { v }, &InvitationHtml { v })?,
        Kind::Reminder => render_pair(&ReminderText { v }, &ReminderHtml { v })?,
        Kind::Result => render_pair(&ResultText { v }, &ResultHtml { v })?,
        Kind::BallotRecorded => render_pair(&BallotRecordedText { v }, &BallotRecordedHtml { v })?,
        Kind::Cancellation => render_pair(&CancellationText { v }, &CancellationHtml { v })?,
        Kind::Extension => render_pair(&ExtensionText { v }, &ExtensionHtml { v })?,
        Kind::TransferPending | Kind::TransferConfirmed => {
            render_pair(&TransferText { v }, &TransferHtml { v })?
        }
    };
    let label = if kind == Kind::Invitation && !v.reissued_at.is_empty() {
        Msg::MailCodeReissued.text(v.lang)
    } else {
        kind.subject().text(v.lang)
    };
    let mut subject = match v.lang {
        Lang::ZhCn => format!("【{}】{}：{}", v.estate, v.title, label),
        Lang::En => format!("{label}: {} ({})", v.title, v.estate),
    };
    let mut text = text;
    if !v.checkpoint_line.is_empty() {
        text = format!("{text}\n\n{}\n{}\n", v.checkpoint_line, v.checkpoint_hint);
    }
    if v.trial {
        // First in the subject and the text, so that no reader can take it for a real vote.
        subject = format!("[{}] {subject}", Msg::TrialMark.text(v.lang));
        text = format!("{}\n\n{text}", v.trial_banner());
    }
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(lang: Lang) -> View {
        View {
            lang,
            name: "王<小>明".into(),
            units: "1-1-101".into(),
            estate: "湖畔花园".into(),
            title: "2026年第一次业主大会会议".into(),
            opens_at: "2026-12-20 09:00".into(),
            closes_at: "2026-12-27 18:00".into(),
            items: vec![ItemLine {
                position: 1,
                title: "续聘物业服务企业".into(),
                kind: "表决事项".into(),
                outcome: "通过".into(),
                participation: String::new(),
            }],
            site: "https://vote.example.org".into(),
            link: "https://vote.example.org/v/ABCD-EFGH-JKMN".into(),
            code: "ABCD-EFGH-JKMN".into(),
            channel: String::new(),
            recorded_items: vec![],
            recorded_at: String::new(),
            recorded_by: "",
            changeable: false,
            objections: false,
            correction: false,
            objections_until: String::new(),
            is_final: false,
            reason: String::new(),
            extended_from: String::new(),
            transfer_unit: String::new(),
            deed_ref: String::new(),
            transfer_confirmed: false,
            reissued_at: String::new(),
            trial: false,
            checkpoint_line: "日志检查点：共 12 条记录，根哈希 abcd ef01 2345 6789".into(),
            checkpoint_hint: "请保存这一行。".into(),
        }
    }

    /// A re-issued code's letter says so in its subject and tells the owner the old code no
    /// longer works, why it was replaced, and to speak up if they did not ask for it.
    #[test]
    fn a_reissued_code_says_it_replaces_the_old_one() {
        for lang in [Lang::ZhCn, Lang::En] {
            let first = render(Kind::Invitation, &view(lang)).unwrap();
            let mut reissued = view(lang);
            reissued.reissued_at = "2026-12-21 10:00".into();
            reissued.reason = "表决票遗失".into();
            let r = render(Kind::Invitation, &reissued).unwrap();
            assert_ne!(r.subject, first.subject);
            assert!(
                r.subject.contains(Msg::MailCodeReissued.text(lang)),
                "{}",
                r.subject
            );
            for body in [&r.text, &r.html] {
                assert!(body.contains("ABCD-EFGH-JKMN"), "{body}");
                assert!(body.contains("2026-12-21 10:00"), "{body}");
                assert!(body.contains("表决票遗失"), "{body}");
            }
            assert!(!first.text.contains("2026-12-21 10:00"));
        }
    }

    #[test]
    fn the_invitation_carries_link_and_code_in_both_languages_and_escapes_html() {
        for lang in [Lang::ZhCn, Lang::En] {
            let r = render(Kind::Invitation, &view(lang)).unwrap();
            for body in [&r.text, &r.html] {
                assert!(
                    body.contains("https://vote.example.org/v/ABCD-EFGH-JKMN"),
                    "{body}"
                );
                assert!(body.contains("ABCD-EFGH-JKMN"));
            }
            assert!(
                r.html.contains("王&#60;小&#62;明") || r.html.contains("王&lt;小&gt;明"),
                "HTML escapes the roster's text: {}",
                r.html
            );
            assert!(r.text.contains("王<小>明"));
        }
        assert!(
            render(Kind::Invitation, &view(Lang::En))
                .unwrap()
                .subject
                .starts_with("Your invitation and voting code")
        );
        assert!(
            render(Kind::Invitation, &view(Lang::ZhCn))
                .unwrap()
                .subject
                .contains("投票码")
        );
    }
}
