//! The words of each SMS, from the one catalogue (`sms-*` messages), and the templates to
//! register with the provider, made from the same messages: each parameter becomes `{1}`,
//! `{2}`, … in the order [`params_of`] gives, so that what the provider sends is what the
//! catalogue says.
//!
//! An SMS never carries a voting code: its link leads to the sign-in by number (`/s/{assembly}`),
//! where a one-time code sent to the same number opens the owner's sheet.

use crate::i18n::{Arg, Lang, Msg};

/// The SMS notices, by the outbox kind they are queued under.
pub const KINDS: &[&str] = &[
    "announcement",
    "invitation",
    "reminder",
    "ballot_recorded",
    "result",
    "extension",
    "cancellation",
    "sign_in_code",
];

/// The catalogue message of an SMS of `kind`.
pub fn message_of(kind: &str) -> Option<Msg> {
    Some(match kind {
        "announcement" => Msg::SmsAnnouncement,
        "invitation" => Msg::SmsInvitation,
        "reminder" => Msg::SmsReminder,
        "ballot_recorded" => Msg::SmsBallotRecorded,
        "result" => Msg::SmsResult,
        "extension" => Msg::SmsExtension,
        "cancellation" => Msg::SmsCancellation,
        "sign_in_code" => Msg::SmsSignInCode,
        _ => return None,
    })
}

/// The names of the parameters of an SMS of `kind`, in the template's order.
pub fn params_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "announcement" => &["estate", "title", "opens", "closes", "link"],
        "invitation" | "reminder" => &["estate", "title", "closes", "link"],
        "ballot_recorded" => &["estate", "title", "channel", "at", "receipt", "link"],
        "result" | "cancellation" => &["estate", "title", "link"],
        "extension" => &["estate", "title", "closes", "link"],
        "sign_in_code" => &["code", "minutes"],
        _ => &[],
    }
}

/// An SMS of `kind` in `lang`: its whole text and its parameters in the template's order.
/// `None` for a kind that has no SMS or a parameter missing from `values`.
pub fn render(kind: &str, lang: Lang, values: &[(&str, String)]) -> Option<(String, Vec<String>)> {
    let msg = message_of(kind)?;
    let params: Vec<String> = params_of(kind)
        .iter()
        .map(|name| {
            values
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        })
        .collect::<Option<_>>()?;
    let args: Vec<(&str, Arg<'_>)> = params_of(kind)
        .iter()
        .zip(&params)
        .map(|(name, value)| (*name, value.as_str().into()))
        .collect();
    Some((msg.text_with(lang, &args), params))
}

/// The template of `kind` in `lang` to register with the provider: the catalogue's text with
/// `{1}`, `{2}`, … for the parameters.
pub fn template(kind: &str, lang: Lang) -> Option<String> {
    let msg = message_of(kind)?;
    let marks: Vec<String> = (1..=params_of(kind).len())
        .map(|i| format!("{{{i}}}"))
        .collect();
    let args: Vec<(&str, Arg<'_>)> = params_of(kind)
        .iter()
        .zip(&marks)
        .map(|(name, mark)| (*name, mark.as_str().into()))
        .collect();
    Some(msg.text_with(lang, &args))
}

/// A number as the roster writes it (`138-0013-8000`, `+86 138 0013 8000`, `8613800138000`) in
/// E.164, if it is a mobile number SMS can reach; numbers without a country code are read as
/// mainland China's.
pub fn e164(written: &str) -> Option<String> {
    let number = phonenumber::parse(Some(phonenumber::country::Id::CN), written.trim()).ok()?;
    if !phonenumber::is_valid(&number) {
        return None;
    }
    let mobile = matches!(
        number.number_type(&phonenumber::metadata::DATABASE),
        phonenumber::Type::Mobile | phonenumber::Type::FixedLineOrMobile
    );
    mobile.then(|| number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_rosters_write_them_become_e164() {
        for written in [
            "13800138000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "8613800138000",
        ] {
            assert_eq!(
                e164(written).as_deref(),
                Some("+8613800138000"),
                "{written}"
            );
        }
        assert_eq!(
            e164("021-6218 8888"),
            None,
            "a Shanghai landline gets no SMS"
        );
        assert_eq!(e164("12345"), None);
        assert_eq!(e164(""), None);
    }

    #[test]
    fn every_kind_renders_and_has_a_template_with_its_parameters() {
        for kind in KINDS {
            for lang in [Lang::ZhCn, Lang::En] {
                let values: Vec<(&str, String)> = params_of(kind)
                    .iter()
                    .map(|n| (*n, format!("<{n}>")))
                    .collect();
                let (text, params) = render(kind, lang, &values).expect(kind);
                assert_eq!(params.len(), params_of(kind).len());
                for n in params_of(kind) {
                    assert!(text.contains(&format!("<{n}>")), "{kind} {lang:?}: {text}");
                }
                let template = template(kind, lang).expect(kind);
                for i in 1..=params.len() {
                    assert!(template.contains(&format!("{{{i}}}")), "{kind}: {template}");
                }
                // An SMS is one or two segments, not a letter.
                assert!(
                    template.chars().count() <= 140,
                    "{kind} {lang:?}: {template}"
                );
            }
        }
        assert!(render("invitation", Lang::ZhCn, &[("estate", "x".into())]).is_none());
    }
}
