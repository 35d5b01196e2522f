//! Which characters a text of the service may hold. Shared by every door text comes in by (JSON
//! bodies, page forms, the address, roster cells), so that they refuse the same characters.

/// Unicode's bidirectional controls: marks (U+200E/F, U+061C), embeddings and overrides
/// (U+202A–E) and isolates (U+2066–9). They change the order in which the text around them is
/// shown, so `101\u{202E}102` reads as another unit and a name can show as someone else's; no
/// unit, title or name of an estate needs one.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// A control character other than the tab and line breaks a text may wrap with: NUL
/// (PostgreSQL keeps none, SQLite would keep it), ESC (terminal escapes in a log or a CSV
/// opened in a terminal), and the rest of C0 and C1, which no title, name or unit needs.
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first character that no text of the service may hold: a stray control character or a
/// bidirectional control.
pub fn refused_char(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| is_stray_control(c) || is_bidi_control(c))
}

/// Why a text with `c` is refused (the error's detail, naming the code point).
pub fn refusal(c: char) -> String {
    if c == '\0' {
        "text may not contain the NUL character (U+0000)".to_owned()
    } else if is_stray_control(c) {
        format!(
            "text may not contain U+{:04X}, a control character",
            u32::from(c)
        )
    } else {
        format!(
            "text may not contain U+{:04X}, a bidirectional control character that changes how the text is shown",
            u32::from(c)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_and_nul_are_refused_other_text_is_not() {
        for c in [
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
            '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            assert!(is_bidi_control(c), "{c:?}");
            assert_eq!(refused_char(&format!("1-1-10{c}1")), Some(c));
        }
        assert_eq!(refused_char("a\0b"), Some('\0'));
        assert_eq!(refused_char("a\u{1b}[31mb"), Some('\u{1b}'));
        assert_eq!(refused_char("a\u{85}b"), Some('\u{85}'));
        assert_eq!(refused_char("line\r\nbreak"), None);
        for fine in [
            "湖畔花园 1号楼",
            "O'Brien",
            "\u{200D}",
            "\u{2065}",
            "\u{202F}",
            "tab\there",
        ] {
            assert_eq!(refused_char(fine), None, "{fine:?}");
        }
        assert!(refusal('\u{202E}').contains("U+202E"));
    }
}
