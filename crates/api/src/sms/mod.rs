//! Notices by SMS (issue 20): the second channel beside e-mail, through the same outbox.
//!
//! An SMS row of the outbox (`channel = 'sms'`) holds the phone number in E.164 form, the
//! template's name (the notice's kind), its parameters and the full text as the catalogue
//! renders it. Providers in mainland China only send registered templates, so the provider
//! adapter sends the template's id and parameters; the file transport writes the full text.
//!
//! - `tencent`: Tencent Cloud SMS (`SendSms` 2021-01-11, TC3-HMAC-SHA256 signing), its error
//!   classification and its delivery-status callback.
//! - `fake`: a local fake of Tencent Cloud's SMS API for tests and development: it checks
//!   signatures and answers with the provider's documented errors.

pub mod fake;
pub mod settings;
pub mod tencent;
pub mod text;
pub mod worker;

/// One SMS as it leaves: what the provider adapter needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingSms {
    /// The outbox row's id (the provider's `SessionContext`, so a receipt names it too).
    pub id: String,
    /// E.164, e.g. `+8613900000001`.
    pub phone: String,
    /// The template's name: the notice's kind (`invitation`, `reminder`, `sign_in_code`, …).
    pub template: String,
    /// The template's parameters, in order (`{1}`, `{2}`, …).
    pub params: Vec<String>,
    /// The whole text as the owner reads it (what the file transport writes).
    pub text: String,
}

/// A provider's acceptance of one SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The provider's id of the message (Tencent's `SerialNo`), which its receipts name.
    pub provider_id: Option<String>,
}

/// A delivery receipt: what the provider reports about one message it accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub provider_id: String,
    pub delivered: bool,
    /// When the phone received it (or the failure was reported), RFC 3339 UTC, if reported.
    pub at: Option<String>,
    /// The provider's words (status code and description), for the record.
    pub detail: String,
}
