//! The one message catalogue: every text a user of the API reads, in zh-CN and en.
//! Codes (`Msg::code`) are stable and machine-readable; texts may be reworded freely.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;
use gongjue_store::roster::IssueKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

impl Lang {
    /// Picks the first language of `Accept-Language` that we speak; Chinese by default, because
    /// most users are owners and secretaries of Chinese estates.
    pub fn of(req: &HttpRequest) -> Lang {
        let header = req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        Lang::from_accept_language(header)
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

    pub fn from_accept_language(header: &str) -> Lang {
        for tag in header.split(',') {
            let tag = tag.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if tag.starts_with("zh") {
                return Lang::ZhCn;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::ZhCn
    }
}

/// Every user-facing message. The code is what clients match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

impl Msg {
    pub fn code(self) -> &'static str {
        self.entry().0
    }

    pub fn text(self, lang: Lang) -> &'static str {
        let (_, zh, en) = self.entry();
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }

    fn entry(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Msg::Unauthenticated => ("unauthenticated", "请先登录。", "Please sign in first."),
            Msg::BadToken => ("bad_token", "登录已失效，请重新登录。", "Your session is invalid or has expired; please sign in again."),
            Msg::BadCredentials => ("bad_credentials", "账号或密码不正确。", "Wrong login or password."),
            Msg::BadCode => ("bad_code", "投票码不正确或已作废。", "This voting code is wrong or has been revoked."),
            Msg::TooManyAttempts => ("too_many_attempts", "尝试次数过多，请稍后再试。", "Too many failed attempts; please try again later."),
            Msg::Forbidden => ("forbidden", "您无权进行此操作。", "You are not allowed to do this."),
            Msg::OtherEstate => ("other_estate", "您无权查看其他小区的数据。", "You have no access to this estate."),
            Msg::StaffOnly => ("staff_only", "仅限工作人员使用。", "Only staff may do this."),
            Msg::OwnersOnly => ("owners_only", "仅限业主本人使用投票码操作。", "Only an owner signed in with a voting code may do this."),
            Msg::ReadOnlyRole => ("read_only_role", "您的角色只能查看，不能修改。", "Your role may read but not change anything."),
            Msg::MalformedBody => ("malformed_body", "请求内容格式不正确。", "The request body is malformed."),
            Msg::BodyTooLarge => ("body_too_large", "请求内容过大。", "The request body is too large."),
            Msg::UnknownField => ("unknown_field", "请求中有无法识别的字段。", "The request has a field that is not known."),
            Msg::InvalidValue => ("invalid_value", "填写的内容有误。", "A value in the request is not valid."),
            Msg::NoRoute => ("no_route", "没有这个地址。", "There is no such address."),
            Msg::NotFound => ("not_found", "找不到所请求的内容。", "The requested record does not exist."),
            Msg::Conflict => ("conflict", "当前状态下不能进行此操作。", "This cannot be done in the current state."),
            Msg::Unavailable => ("unavailable", "服务暂时繁忙，请稍后重试。", "The service is busy; please retry shortly."),
            Msg::Internal => ("internal", "服务器内部错误，已记录。", "Internal error; it has been logged."),
            Msg::RosterInvalid => ("roster_invalid", "业主名册有错误，未导入任何数据。", "The roster has errors; nothing was imported."),
            Msg::NoticeTooShort => ("notice_too_short", "公告至投票开始的时间少于规定天数。", "The notice period before voting opens is shorter than required."),
            Msg::VotingNotYetOpen => ("voting_not_open", "投票尚未开始。", "Voting has not opened yet."),
            Msg::VotingClosed => ("voting_closed", "投票已经结束。", "Voting has closed."),
            Msg::ClosingEarly => ("closing_early", "尚未到截止时间；如需提前结束，须注明理由。", "The closing time has not come; closing early needs a reason."),
            Msg::ReceiptOutsideWindow => ("receipt_outside_window", "纸质选票的收票时间不在投票期内。", "The paper ballot's receipt time is outside the voting window."),
            Msg::SamePersonConfirms => ("same_person_confirms", "纸质选票须由录入人以外的另一人确认。", "A paper ballot must be confirmed by someone other than who entered it."),
            Msg::BallotNotChangeable => ("ballot_not_changeable", "本次会议不允许修改已投的票。", "This assembly does not allow changing a ballot."),
            Msg::OwnBallotSupersedes => ("own_ballot_supersedes", "业主本人已投票，代理人不能再投。", "The member has voted in person; the proxy's ballot cannot replace it."),
            Msg::ConfirmedBallot => ("confirmed_ballot", "已确认的纸质选票只能通过注明理由的更正来修改。", "A confirmed paper ballot can only be changed by a correction with a reason."),
            Msg::NotInElectorate => ("not_in_electorate", "您不在该事项的表决范围内。", "You are not in the electorate of this item."),
            Msg::NoProxyForItem => ("no_proxy", "您没有代该业主表决此事项的委托。", "You hold no proxy of this member for this item."),
            Msg::ItemsOnlyInDraft => ("items_only_in_draft", "会议公告后不能再增加表决事项。", "No items may be added after the assembly was announced."),
            Msg::ResultBeforeClosing => ("result_before_closing", "投票结束后才能查看结果。", "The result is available after voting closes."),
            Msg::EstateChoiceNeeded => ("estate_needed", "您在多个小区有角色，请指定小区。", "You hold roles in several estates; name the estate."),
            Msg::InvalidChoice => ("invalid_choice", "所选内容不符合该事项的表决方式。", "This choice does not fit the item."),
            // Notices by e-mail (issue 6).
            Msg::MailAnnouncement => ("mail_announcement", "业主大会会议公告", "Notice of the owners' assembly"),
            Msg::MailInvitation => ("mail_invitation", "投票邀请及您的投票码", "Your invitation and voting code"),
            Msg::MailReminder => ("mail_reminder", "投票提醒：您尚未完成投票", "Reminder: you have not voted yet"),
            Msg::MailResult => ("mail_result", "表决结果公告", "Results of the owners' assembly"),
            Msg::MailBallotRecorded => ("mail_ballot_recorded", "已为您登记选票，请核对", "A ballot was recorded for you: please check"),
            Msg::MailDearOwner => ("mail_dear_owner", "业主", "owner"),
            Msg::ItemMotion => ("item_motion", "表决事项", "motion"),
            Msg::ItemElection => ("item_election", "选举", "election"),
            Msg::ItemConsultation => ("item_consultation", "征询", "consultation"),
            Msg::OutcomePassed => ("outcome_passed", "通过", "passed"),
            Msg::OutcomeRejected => ("outcome_rejected", "未通过", "rejected"),
            Msg::OutcomeNoQuorum => ("outcome_no_quorum", "参与表决未达法定比例，不成立", "the quorum was not reached"),
            Msg::OutcomeElected => ("outcome_elected", "当选", "elected"),
            Msg::OutcomeNobodyElected => ("outcome_nobody_elected", "无人当选", "nobody was elected"),
            Msg::OutcomeCounted => ("outcome_counted", "已统计", "counted"),
            Msg::ChannelPaper => ("channel_paper", "纸质选票", "a paper ballot"),
            Msg::ChannelProxy => ("channel_proxy", "委托代理人代为投票", "a ballot cast by your proxy"),
            Msg::RemindersOnlyWhileOpen => ("reminders_only_while_open", "只有在投票期间才能发送投票提醒。", "Reminders can be sent only while voting is open."),
        }
    }
}

/// A roster line error in the reader's language (the store keeps them structured for this).
pub fn roster_issue(kind: &IssueKind, lang: Lang) -> String {
    let zh = lang == Lang::ZhCn;
    let pick = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
    match kind {
        IssueKind::NotText => pick("文件既不是 XLSX 表格，也不是 UTF-8、UTF-16 或 GBK 文本", "the file is neither an XLSX workbook nor UTF-8, UTF-16 or GBK text"),
        IssueKind::Unreadable(reason) => if zh { format!("无法读取表格：{reason}") } else { format!("the workbook cannot be read: {reason}") },
        IssueKind::NoHeader { missing } => {
            let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
            if zh { format!("找不到包含必填列的表头（缺少：{}）", names.join("、")) } else { format!("no header row names the required columns (missing: {})", names.join(", ")) }
        }
        IssueKind::AmbiguousColumn { field, first } => {
            if zh { format!("该列与“{first}”列都被识别为 {field}") } else { format!("column read as {field} a second time (first: {first})") }
        }
        IssueKind::NoUnits => pick("名册中没有任何房屋", "the roster has no units"),
        IssueKind::BuildingMissing => pick("缺少楼号", "building missing"),
        IssueKind::RoomMissing => pick("缺少室号", "room number missing"),
        IssueKind::AreaMissing => pick("缺少面积", "area missing"),
        IssueKind::AreaNotPositive => pick("面积必须大于零", "area must be positive"),
        IssueKind::AreaTooManyDecimals => pick("面积最多两位小数", "area has more than two decimals"),
        IssueKind::AreaNotANumber => pick("面积不是数字", "area is not a number"),
        IssueKind::AreaTooLarge => pick("面积过大", "area is too large"),
        IssueKind::FloorNotANumber => pick("楼层不是整数", "floor is not a whole number"),
        IssueKind::DuplicateUnit { unit, first_line } => {
            if zh { format!("房屋 {unit} 重复（首次出现在第 {first_line} 行）") } else { format!("duplicate unit {unit} (first on line {first_line})") }
        }
        IssueKind::OwnerIdMissing => pick("缺少业主编号", "owner id missing"),
        IssueKind::EmailMalformed => pick("电子邮箱格式不正确", "email address is malformed"),
        IssueKind::OwnerNamedTwice { owner_id, first_name, first_line } => {
            if zh { format!("业主编号 {owner_id} 在第 {first_line} 行登记为 {first_name}") } else { format!("owner id {owner_id} already named {first_name} on line {first_line}") }
        }
        IssueKind::BlankLine => pick("空行", "blank line"),
        IssueKind::AboveHeader => pick("表头上方的标题或说明", "title or note above the header row"),
        IssueKind::RepeatedHeader => pick("重复的表头行", "the header row repeated"),
        IssueKind::TotalRow => pick("合计行", "total row"),
    }
}

/// The caller's language as an extractor.
impl actix_web::FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Lang, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Lang::of(req)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_by_default_english_on_request() {
        assert_eq!(Lang::from_accept_language(""), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Lang::ZhCn);
    }

    #[test]
    fn codes_are_unique() {
        let all = [
            Msg::Unauthenticated, Msg::BadToken, Msg::BadCredentials, Msg::BadCode, Msg::TooManyAttempts, Msg::Forbidden,
            Msg::OtherEstate, Msg::StaffOnly, Msg::OwnersOnly, Msg::ReadOnlyRole, Msg::MalformedBody, Msg::BodyTooLarge,
            Msg::UnknownField, Msg::InvalidValue, Msg::NoRoute, Msg::NotFound, Msg::Conflict, Msg::Unavailable, Msg::Internal,
            Msg::RosterInvalid, Msg::NoticeTooShort, Msg::VotingNotYetOpen, Msg::VotingClosed, Msg::ClosingEarly,
            Msg::ReceiptOutsideWindow, Msg::SamePersonConfirms, Msg::BallotNotChangeable, Msg::OwnBallotSupersedes,
            Msg::ConfirmedBallot, Msg::NotInElectorate, Msg::NoProxyForItem, Msg::ItemsOnlyInDraft, Msg::ResultBeforeClosing,
            Msg::EstateChoiceNeeded, Msg::InvalidChoice,
            // Notices by e-mail (issue 6).
            Msg::MailAnnouncement, Msg::MailInvitation, Msg::MailReminder, Msg::MailResult, Msg::MailBallotRecorded,
            Msg::MailDearOwner, Msg::ItemMotion, Msg::ItemElection, Msg::ItemConsultation, Msg::OutcomePassed,
            Msg::OutcomeRejected, Msg::OutcomeNoQuorum, Msg::OutcomeElected, Msg::OutcomeNobodyElected, Msg::OutcomeCounted,
            Msg::ChannelPaper, Msg::ChannelProxy, Msg::RemindersOnlyWhileOpen,
        ];
        let mut codes: Vec<&str> = all.iter().map(|m| m.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
