//! Normalising one cell of a roster as property companies type it: full-width digits, unit
//! suffixes, thousands separators, numbers stored as Excel doubles.

use gongjue_domain::area::{AreaError, UnitArea};

/// Full-width ASCII (`１２０．５０`, `，`, `＠`) to ASCII, the ideographic space and the minus sign
/// to their ASCII forms, then surrounding whitespace (including a stray BOM) trimmed.
pub fn normalise(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            // U+FF01..U+FF5E mirror U+0021..U+007E one to one.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            '\u{2212}' | '\u{2013}' => '-',
            '\u{3002}' => '.', // 。 typed for a decimal point by Chinese input methods
            _ => c,
        })
        .collect();
    folded
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .to_owned()
}

/// Suffixes that name the unit of an area; the value is in m² whichever is written.
const AREA_SUFFIXES: [&str; 7] = ["平方米", "平米", "㎡", "m²", "m2", "M2", "sqm"];

/// Why a cell is not a unit's area. `Display` reads like the rest of the roster messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaProblem {
    Missing,
    NotPositive,
    TooManyDecimals,
    NotANumber,
    TooLarge,
}

/// Reads an area cell (already a string; XLSX doubles go through [`number_text`] first) exactly.
pub fn parse_area(raw: &str) -> Result<UnitArea, AreaProblem> {
    let text = normalise(raw);
    let mut text = text.as_str();
    for suffix in AREA_SUFFIXES {
        if let Some(stripped) = text.strip_suffix(suffix) {
            text = stripped.trim_end();
            break;
        }
    }
    if text.is_empty() {
        return Err(AreaProblem::Missing);
    }
    let plain = without_thousands_separators(text).ok_or(AreaProblem::NotANumber)?;
    UnitArea::parse(&plain).map_err(|error| match error {
        AreaError::Empty => AreaProblem::Missing,
        AreaError::NotPositive => AreaProblem::NotPositive,
        AreaError::TooManyDecimals(_) => AreaProblem::TooManyDecimals,
        AreaError::TooLarge(_) => AreaProblem::TooLarge,
        // "-0.5x" is negative before it is anything else: say the sign, not the typo.
        AreaError::NotANumber(_) if plain.starts_with('-') => AreaProblem::NotPositive,
        AreaError::NotANumber(_) => AreaProblem::NotANumber,
    })
}

/// `1,234.50` → `1234.50`, but only when the commas group the whole part by threes; `89,5`
/// (a decimal comma) is refused rather than read as 895.
fn without_thousands_separators(text: &str) -> Option<String> {
    if !text.contains(',') {
        return Some(text.to_owned());
    }
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return None;
    }
    let mut plain = format!("{sign}{first}");
    for group in groups {
        if group.len() != 3 || !digits(group) {
            return None;
        }
        plain.push_str(group);
    }
    if let Some(fraction) = fraction {
        plain.push('.');
        plain.push_str(fraction);
    }
    Some(plain)
}

/// How far (in units in the last place) a double may sit from a value with two decimals and
/// still be that value. Excel writes `93.43` as `93.43000000000001` after some arithmetic; that
/// is one or two ULPs away, while a genuine third decimal (`93.431`) is billions of ULPs away.
const MAX_ULPS: u64 = 8;

/// The decimal text of a number stored as an Excel double, with no floating-point arithmetic:
/// the shortest text that reads back as the same double (Rust's `Display`), unless that has
/// more than two decimals and the double is within [`MAX_ULPS`] of a number with two decimals,
/// in which case that number. So `101.0` → `101`, `102.32000000000001` → `102.32`,
/// `89.123` → `89.123` (refused later as genuinely having three decimals).
pub fn number_text(value: f64) -> String {
    let shortest = value.to_string();
    let decimals = shortest
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.len());
    if decimals <= 2 || !value.is_finite() || value.is_sign_negative() {
        return shortest;
    }
    let rounded = format!("{value:.2}");
    match rounded.parse::<f64>() {
        Ok(near) if ulps_apart(near, value) <= MAX_ULPS => trim_zero_decimals(rounded),
        _ => shortest,
    }
}

/// For two non-negative finite doubles, the bit patterns are ordered like the values, so their
/// difference counts the representable doubles between them.
fn ulps_apart(a: f64, b: f64) -> u64 {
    a.to_bits().abs_diff(b.to_bits())
}

/// `"84.00"` → `"84"`, `"84.50"` → `"84.5"`: the value is the same, and room or floor numbers
/// that happened to be snapped must read as integers.
fn trim_zero_decimals(text: String) -> String {
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Strips one trailing word that only repeats what the column says (`51号楼`, `1单元`, `101室`),
/// if something is left.
pub fn without_suffix<'a>(text: &'a str, suffixes: &[&str]) -> &'a str {
    for suffix in suffixes {
        if let Some(stripped) = text.strip_suffix(suffix) {
            let stripped = stripped.trim_end();
            if !stripped.is_empty() {
                return stripped;
            }
        }
    }
    text
}

/// A floor number: `12`, `-1`, `12层`, `B1` is not accepted (basements are written `-1`).
pub fn parse_floor(raw: &str) -> Option<i32> {
    let text = normalise(raw);
    without_suffix(&text, &["层", "楼", "F", "f"]).parse().ok()
}

/// Contact e-mails are used to send notices, so a malformed one is caught on import. The
/// `email_address` crate checks the RFC 5321/5322 address syntax; a bare name ("Wang <a@b>")
/// or a domain without a dot (a typo such as `a@qqcom`) is refused too, since a relay would
/// reject both.
pub fn is_plausible_email(text: &str) -> bool {
    let options = email_address::Options::default()
        .without_display_text()
        .with_required_tld();
    email_address::EmailAddress::parse_with_options(text, options).is_ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use gongjue_domain::area::Area;

    fn cents(text: &str) -> Result<u64, AreaProblem> {
        parse_area(text).map(|a| a.area().cents())
    }

    #[test]
    fn reads_areas_as_exported() {
        assert_eq!(cents("89.50"), Ok(8950));
        assert_eq!(cents(" 89.5 "), Ok(8950));
        assert_eq!(cents("１２０．５０"), Ok(12050));
        assert_eq!(cents("120.5㎡"), Ok(12050));
        assert_eq!(cents("120.5 m2"), Ok(12050));
        assert_eq!(cents("120.5m²"), Ok(12050));
        assert_eq!(cents("120.5平方米"), Ok(12050));
        assert_eq!(cents("1,234.50"), Ok(123_450));
        assert_eq!(cents("１，２３４．５０"), Ok(123_450));
        assert_eq!(cents("1,234,567"), Ok(123_456_700));
    }

    #[test]
    fn says_what_is_wrong_with_an_area() {
        assert_eq!(cents(""), Err(AreaProblem::Missing));
        assert_eq!(cents("  "), Err(AreaProblem::Missing));
        assert_eq!(cents("㎡"), Err(AreaProblem::Missing));
        assert_eq!(cents("-5.00"), Err(AreaProblem::NotPositive));
        assert_eq!(cents("－５"), Err(AreaProblem::NotPositive));
        assert_eq!(cents("-1,234.50"), Err(AreaProblem::NotPositive));
        assert_eq!(cents("0"), Err(AreaProblem::NotPositive));
        assert_eq!(cents("89.123"), Err(AreaProblem::TooManyDecimals));
        assert_eq!(cents("abc"), Err(AreaProblem::NotANumber));
        assert_eq!(cents("89,5"), Err(AreaProblem::NotANumber));
        assert_eq!(cents("1,23.5"), Err(AreaProblem::NotANumber));
        assert_eq!(cents("1234,567"), Err(AreaProblem::NotANumber));
        assert_eq!(cents("1e3"), Err(AreaProblem::NotANumber));
    }

    #[test]
    fn excel_doubles_become_the_decimal_they_were_typed_as() {
        assert_eq!(number_text(101.0), "101");
        assert_eq!(number_text(13_932_838_611.0), "13932838611");
        assert_eq!(number_text(102.32), "102.32");
        // What Excel writes as 93.43000000000001: the next double above 93.43.
        assert_eq!(
            number_text(f64::from_bits(93.43_f64.to_bits() + 1)),
            "93.43"
        );
        assert_eq!(number_text(0.1 + 0.2_f64), "0.3");
        assert_eq!(number_text(84.0), "84");
        // A genuine third decimal stays, to be refused by the area rule.
        assert_eq!(number_text(89.123), "89.123");
        assert_eq!(number_text(93.4301), "93.4301");
        assert_eq!(number_text(-5.0), "-5");
    }

    #[test]
    fn every_two_decimal_double_reads_back_exactly() {
        // The same cents whether Excel stored the double exactly or a few ULPs off.
        for cents in (1..2_000_000u64).step_by(997) {
            let text = Area::from_cents(cents).to_string();
            let value: f64 = text.parse().unwrap();
            for nudged in [
                value,
                f64::from_bits(value.to_bits() + 1),
                f64::from_bits(value.to_bits() - 2),
            ] {
                let area = parse_area(&number_text(nudged)).map(|a| a.area());
                assert_eq!(area, Ok(Area::from_cents(cents)), "{nudged:?}");
            }
        }
    }

    #[test]
    fn strips_words_that_repeat_the_column() {
        assert_eq!(without_suffix("51号楼", &["号楼", "栋"]), "51");
        assert_eq!(without_suffix("号楼", &["号楼"]), "号楼");
        assert_eq!(parse_floor("12层"), Some(12));
        assert_eq!(parse_floor("-1"), Some(-1));
        assert_eq!(parse_floor("twelve"), None);
    }

    #[test]
    fn catches_clearly_malformed_emails() {
        for good in ["p1@example.com", "li.wei+notice@mail.example.cn"] {
            assert!(is_plausible_email(good), "{good}");
        }
        for bad in [
            "p1example.com",
            "@example.com",
            "p1@",
            "p1@example",
            "p1@@example.com",
            "p 1@example.com",
            "p1@example..com",
            "p1@.example.com",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }
}
