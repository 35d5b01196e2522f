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
            // Web pages (issue 5).
            Msg::WebAbstain => ("web.abstain", "弃权", "Abstain"),
            Msg::WebAppName => ("web.app_name", "共决 · 业主大会表决", "Gongjue · owners' assembly vote"),
            Msg::WebArea => ("web.area", "面积", "Area"),
            Msg::WebAssemblies => ("web.assemblies", "业主大会会议", "Assemblies"),
            Msg::WebBack => ("web.back", "上一项", "Previous"),
            Msg::WebBackToSheet => ("web.back_to_sheet", "返回表决票", "Back to the ballot"),
            Msg::WebBuilding => ("web.building", "楼栋", "Building"),
            Msg::WebByBuilding => ("web.by_building", "按楼栋", "By building"),
            Msg::WebByZone => ("web.by_zone", "按区域", "By zone"),
            Msg::WebChangeChoices => ("web.change_choices", "查看或修改我的选择", "See or change my choices"),
            Msg::WebChangeUntil => ("web.change_until", "截止前可随时回来修改，截止时间：", "You may come back and change your choices until"),
            Msg::WebChannelPaper => ("web.channel_paper", "纸质票", "paper ballot"),
            Msg::WebChannelProxy => ("web.channel_proxy", "委托代投", "cast by proxy"),
            Msg::WebChannelWeb => ("web.channel_web", "网上投票", "voted online"),
            Msg::WebClosesAt => ("web.closes_at", "投票截止：", "Voting closes:"),
            Msg::WebCodeHelp => ("web.code_help", "请输入公告或表决票上印的投票码（大小写、空格和短横线都可以）。", "Type the voting code printed on your notice or ballot sheet (case, spaces and dashes do not matter)."),
            Msg::WebCodeLabel => ("web.code_label", "投票码", "Voting code"),
            Msg::WebConsultationRule => ("web.consultation_rule", "本项为意见征询，不作表决，结果供业主委员会参考。", "This is a consultation, not a vote: the answers inform the owners' committee."),
            Msg::WebCsrf => ("web.csrf", "页面已过期或来源不明，操作未执行。请返回重新打开页面后再试。", "This page has expired or did not come from this site; nothing was done. Please open the page again and retry."),
            Msg::WebDoneHelp => ("web.done_help", "您的选择已记录。请抄下下面的回执号，公布结果后可凭它核对。", "Your choices are recorded. Write down the receipt numbers below to check them when the results are published."),
            Msg::WebDoneTitle => ("web.done_title", "投票成功", "Your vote is recorded"),
            Msg::WebEdit => ("web.edit", "修改", "Change"),
            Msg::WebEnterCode => ("web.enter_code", "输入投票码", "Enter your voting code"),
            Msg::WebErrorTitle => ("web.error_title", "无法完成", "This could not be done"),
            Msg::WebForMember => ("web.for_member", "代业主 {name}（编号 {id}）表决 · 委托代投", "On behalf of {name} (owner {id}) · proxy vote"),
            Msg::WebForYourself => ("web.for_yourself", "本人表决", "Your own vote"),
            Msg::WebHeads => ("web.heads", "人数", "Owners"),
            Msg::WebHome => ("web.home", "返回首页", "Home"),
            Msg::WebHomeIntro => ("web.home_intro", "业主可用公告或表决票上的投票码在网上表决。", "Owners vote online with the code printed on the notice or ballot sheet."),
            Msg::WebInvalid => ("web.invalid", "废票", "Spoilt"),
            Msg::WebLogin => ("web.login", "账号", "Login"),
            Msg::WebMarkUpTo => ("web.mark_up_to", "最多可选 {n} 人；也可选择弃权。", "Mark up to {n} candidates, or abstain."),
            Msg::WebNext => ("web.next", "下一项", "Next"),
            Msg::WebNo => ("web.no", "反对", "No"),
            Msg::WebNoAssemblies => ("web.no_assemblies", "还没有会议。", "No assembly yet."),
            Msg::WebNoChoice => ("web.no_choice", "未选择（本项不投票）", "Not chosen (no vote on this item)"),
            Msg::WebNoItems => ("web.no_items", "没有您可以表决的事项。", "There is no item you may vote on."),
            Msg::WebNotOpenYet => ("web.not_open_yet", "投票开始后显示参与情况。", "Turnout shows once voting is open."),
            Msg::WebNotVoted => ("web.not_voted", "尚未投票", "Not voted yet"),
            Msg::WebNotVotedYet => ("web.not_voted_yet", "尚未投票的业主", "Members who have not voted yet"),
            Msg::WebNotYetCounted => ("web.not_yet_counted", "待第二人确认后计入", "counted once a second person confirms it"),
            Msg::WebNothingChosen => ("web.nothing_chosen", "您还没有作出任何选择。请至少选择一项，或点“修改”返回。", "You have not chosen anything yet. Choose at least one item, or press Change."),
            Msg::WebPassword => ("web.password", "密码", "Password"),
            Msg::WebPickUpTo => ("web.pick_up_to", "最多可选 {n} 项", "Pick up to {n}"),
            Msg::WebQuorumLine => ("web.quorum_line", "黑色竖线为法定参与比例；绿色表示已达到，红色表示尚未达到。", "The black line is the quorum; green means reached, red not yet."),
            Msg::WebReceipt => ("web.receipt", "回执号：", "Receipt number:"),
            Msg::WebRecordIntro => ("web.record_intro", "投票已结束。以下是为您记录在案的表决（网上或纸质）。", "Voting has closed. This is what was recorded for you (online or on paper)."),
            Msg::WebRecorded => ("web.recorded", "已记录：", "Recorded:"),
            Msg::WebReviewTitle => ("web.review_title", "请核对您的全部选择", "Check all your choices"),
            Msg::WebRuleLabel => ("web.rule_label", "通过条件：", "How it passes: "),
            Msg::WebSheetChanged => ("web.sheet_changed", "表决事项已变动，请重新开始。", "The ballot sheet has changed; please start again."),
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
            Msg::WebSubmitHelp => ("web.submit_help", "提交后将显示回执号。", "After submitting you get a receipt number."),
            Msg::WebToReview => ("web.to_review", "核对全部选择", "Review all choices"),
            Msg::WebTooManyMarks => ("web.too_many_marks", "最多只能选 {n} 人，请减少所选人数。", "Mark at most {n} candidates, please remove some."),
            Msg::WebTurnout => ("web.turnout", "参与情况", "Turnout"),
            Msg::WebYes => ("web.yes", "同意", "Yes"),
            Msg::WebYourChoice => ("web.your_choice", "您的选择：", "Your choice: "),
            Msg::WebUnitNotFound => ("web.unit_not_found", "该房号不在本次会议的表决范围内，请核对楼号-单元-室号。", "This unit is in no item of this assembly; check building-stairwell-room."),
            Msg::WebPaperTitle => ("web.paper_title", "录入纸质选票", "Enter a paper ballot"),
            Msg::WebPaperEntered => ("web.paper_entered", "{unit} 的纸质选票已录入，待另一位工作人员确认后计入。", "The paper ballot of {unit} is entered; it counts once another staff member confirms it."),
            Msg::WebReceivedInvalid => ("web.received_invalid", "收票时间格式不正确。", "The time of receipt is not a valid date and time."),
            Msg::WebConfirmed => ("web.confirmed", "已确认，该票已计入。", "Confirmed: the ballot now counts."),
            Msg::WebConfirmQueue => ("web.confirm_queue", "待确认的纸质选票", "Paper ballots to confirm"),
            Msg::WebUnit => ("web.unit", "房号（楼号-单元-室号）", "Unit (building-stairwell-room)"),
            Msg::WebSearch => ("web.search", "查找", "Find"),
            Msg::WebReceivedAt => ("web.received_at", "收票时间（北京时间）", "Received at (Beijing time)"),
            Msg::WebScanRef => ("web.scan_ref", "扫描件/原件存放编号", "Scan or filing reference"),
            Msg::WebCorrectionReason => ("web.correction_reason", "更正理由（仅更正已确认的选票时填写）", "Reason of correction (only to correct a confirmed ballot)"),
            Msg::WebEnterPaper => ("web.enter_paper", "录入", "Enter"),
            Msg::WebConfirmHelp => ("web.confirm_help", "请对照纸质选票核对每一项，无误后点“确认”。录入人不能确认自己录入的选票。", "Check each entry against the paper, then press Confirm. Nobody confirms their own entry."),
            Msg::WebConfirm => ("web.confirm", "确认", "Confirm"),
            Msg::WebQueueEmpty => ("web.queue_empty", "没有待确认的纸质选票。", "No paper ballot is waiting."),
            Msg::WebRosterTitle => ("web.roster_title", "业主名册", "Owner roster"),
            Msg::WebRosterNow => ("web.roster_now", "当前名册版本", "Current roster version"),
            Msg::WebUnitsWord => ("web.units_word", "户", "units"),
            Msg::WebNoFile => ("web.no_file", "请选择要导入的名册文件。", "Choose the roster file to import."),
            Msg::WebLine => ("web.line", "行", "Line"),
            Msg::WebColumn => ("web.column", "列", "Column"),
            Msg::WebProblem => ("web.problem", "问题", "Problem"),
            Msg::WebImported => ("web.imported", "名册已导入", "Roster imported"),
            Msg::WebAdded => ("web.added", "新增", "Added"),
            Msg::WebRemoved => ("web.removed", "删除", "Removed"),
            Msg::WebChanged => ("web.changed", "变更", "Changed"),
            Msg::WebNoteWord => ("web.note_word", "说明", "Note"),
            Msg::WebRosterFile => ("web.roster_file", "名册文件（CSV 或 XLSX）", "Roster file (CSV or XLSX)"),
            Msg::WebRosterHelp => ("web.roster_help", "必填列：楼号、室号、面积、业主编号；可有区域、单元、楼层、姓名、电话、邮箱。有任何错误时不导入任何数据。", "Required columns: building, room, area, owner id; optional: zone, stairwell, floor, name, phone, email. With any error nothing is imported."),
            Msg::WebImport => ("web.import", "导入", "Import"),
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
        ];
        let web = [
            Msg::WebAbstain,
            Msg::WebAppName,
            Msg::WebArea,
            Msg::WebAssemblies,
            Msg::WebBack,
            Msg::WebBackToSheet,
            Msg::WebBuilding,
            Msg::WebByBuilding,
            Msg::WebByZone,
            Msg::WebChangeChoices,
            Msg::WebChangeUntil,
            Msg::WebChannelPaper,
            Msg::WebChannelProxy,
            Msg::WebChannelWeb,
            Msg::WebClosesAt,
            Msg::WebCodeHelp,
            Msg::WebCodeLabel,
            Msg::WebConsultationRule,
            Msg::WebCsrf,
            Msg::WebDoneHelp,
            Msg::WebDoneTitle,
            Msg::WebEdit,
            Msg::WebEnterCode,
            Msg::WebErrorTitle,
            Msg::WebForMember,
            Msg::WebForYourself,
            Msg::WebHeads,
            Msg::WebHome,
            Msg::WebHomeIntro,
            Msg::WebInvalid,
            Msg::WebLogin,
            Msg::WebMarkUpTo,
            Msg::WebNext,
            Msg::WebNo,
            Msg::WebNoAssemblies,
            Msg::WebNoChoice,
            Msg::WebNoItems,
            Msg::WebNotOpenYet,
            Msg::WebNotVoted,
            Msg::WebNotVotedYet,
            Msg::WebNotYetCounted,
            Msg::WebNothingChosen,
            Msg::WebPassword,
            Msg::WebPickUpTo,
            Msg::WebQuorumLine,
            Msg::WebReceipt,
            Msg::WebRecordIntro,
            Msg::WebRecorded,
            Msg::WebReviewTitle,
            Msg::WebRuleLabel,
            Msg::WebSheetChanged,
            Msg::WebSignIn,
            Msg::WebSignOut,
            Msg::WebStaffSignIn,
            Msg::WebStartVoting,
            Msg::WebStateAnnounced,
            Msg::WebStateCancelled,
            Msg::WebStateClosed,
            Msg::WebStateDraft,
            Msg::WebStateOpen,
            Msg::WebSubmit,
            Msg::WebSubmitHelp,
            Msg::WebToReview,
            Msg::WebTooManyMarks,
            Msg::WebTurnout,
            Msg::WebYes,
            Msg::WebYourChoice,
            Msg::WebUnitNotFound,
            Msg::WebPaperTitle,
            Msg::WebPaperEntered,
            Msg::WebReceivedInvalid,
            Msg::WebConfirmed,
            Msg::WebConfirmQueue,
            Msg::WebUnit,
            Msg::WebSearch,
            Msg::WebReceivedAt,
            Msg::WebScanRef,
            Msg::WebCorrectionReason,
            Msg::WebEnterPaper,
            Msg::WebConfirmHelp,
            Msg::WebConfirm,
            Msg::WebQueueEmpty,
            Msg::WebRosterTitle,
            Msg::WebRosterNow,
            Msg::WebUnitsWord,
            Msg::WebNoFile,
            Msg::WebLine,
            Msg::WebColumn,
            Msg::WebProblem,
            Msg::WebImported,
            Msg::WebAdded,
            Msg::WebRemoved,
            Msg::WebChanged,
            Msg::WebNoteWord,
            Msg::WebRosterFile,
            Msg::WebRosterHelp,
            Msg::WebImport,
        ];
        let all: Vec<Msg> = all.into_iter().chain(web).collect();
        let mut codes: Vec<&str> = all.iter().map(|m| m.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
