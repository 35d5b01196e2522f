//! CSV rosters: decoding (UTF-8 with or without BOM, UTF-16 with BOM as Excel's "Unicode text",
//! GBK as Excel saves CSV on Chinese Windows), the delimiter, and physical line numbers.

use std::borrow::Cow;

use encoding_rs::{GBK, UTF_16BE, UTF_16LE};

use super::check::{NoHeader, RowChecker};
use super::{IssueKind, RosterCheck, RosterIssue, Row};

pub fn check(bytes: &[u8]) -> RosterCheck {
    let Some(text) = decode(bytes) else {
        return RosterCheck::failed(RosterIssue {
            line: 1,
            column: None,
            kind: IssueKind::NotText,
        });
    };
    if line_count(&text) > super::MAX_ROSTER_ROWS {
        return super::too_many_rows(super::MAX_ROSTER_ROWS + 1);
    }
    let mut checker = RowChecker::new();
    if let Err(line) = for_each_row(&text, |row| checker.push(&row)) {
        return super::too_many_rows(line);
    }
    checker
        .finish()
        .unwrap_or_else(|NoHeader { line, missing }| {
            RosterCheck::failed(RosterIssue {
                line,
                column: None,
                kind: IssueKind::NoHeader { missing },
            })
        })
}

/// The file's text. Valid UTF-8 is taken as UTF-8: GBK text of any length is almost never valid
/// UTF-8 (its lead bytes 0x81..0xFE are rarely followed by UTF-8 continuation bytes), while plain
/// ASCII is both. Anything else must decode as GBK without a single malformed sequence.
/// UTF-8 is borrowed, not copied.
fn decode(bytes: &[u8]) -> Option<Cow<'_, str>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).ok().map(Cow::Borrowed);
    }
    for (bom, encoding) in [(b"\xFF\xFE", UTF_16LE), (b"\xFE\xFF", UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            return (!had_errors).then_some(text);
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(Cow::Borrowed(text));
    }
    let (text, had_errors) = GBK.decode_without_bom_handling(bytes);
    (!had_errors).then_some(text)
}

/// The lines of the text up to its last one that is not blank: counted before any row is
/// checked, so that a file past [`super::MAX_ROSTER_ROWS`] is refused in milliseconds rather than
/// after checking the rows within the limit (seconds, beside an intake, at 250,000 rows).
fn line_count(text: &str) -> usize {
    let text = text.trim_end();
    if text.is_empty() {
        return 0;
    }
    text.bytes().filter(|b| *b == b'\n').count() + 1
}

/// Comma, unless the first lines clearly use tabs (Excel's "Unicode text") or semicolons
/// (European locales). Judged by the most delimiters on one line, so a title row does not decide.
fn delimiter(text: &str) -> u8 {
    let most_on_a_line = |delimiter: char| {
        text.lines()
            .take(20)
            .map(|line| line.matches(delimiter).count())
            .max()
            .unwrap_or(0)
    };
    let commas = most_on_a_line(',');
    [(b'\t', '\t'), (b';', ';')]
        .into_iter()
        .map(|(byte, c)| (byte, most_on_a_line(c)))
        .filter(|(_, count)| *count > commas)
        .max_by_key(|(_, count)| *count)
        .map_or(b',', |(byte, _)| byte)
}

/// Hands `visit` every record with the physical line it starts on, and a row for every blank
/// line, so that line numbers match what a person sees in an editor (the header is line 1), one
/// row at a time. Stops at the first line past [`super::MAX_ROSTER_ROWS`] and returns it as the
/// error.
fn for_each_row(text: &str, mut visit: impl FnMut(Row)) -> Result<(), usize> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut next_line = 1;
    // The csv crate's own line count skips empty lines, so lines are counted here as the
    // newlines before the byte where each record starts.
    let (mut counted_to, mut newlines) = (0, 0);
    let mut record = ::csv::StringRecord::new();
    // Only I/O and UTF-8 errors could stop this early, and neither can happen on a &str.
    while let Ok(true) = reader.read_record(&mut record) {
        // The position is where the previous record ended; empty lines before this one follow.
        let after_previous = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let start = text
            .get(after_previous..)
            .and_then(|rest| rest.find(|c| c != '\r' && c != '\n'))
            .map_or(after_previous, |skipped| after_previous + skipped);
        newlines += text
            .get(counted_to..start)
            .map_or(0, |skipped| skipped.matches('\n').count());
        counted_to = start.max(counted_to);
        let line = newlines + 1;
        if line > super::MAX_ROSTER_ROWS {
            return Err(super::MAX_ROSTER_ROWS + 1);
        }
        // The skipped empty lines become blank rows.
        while next_line < line {
            visit(Row {
                line: next_line,
                cells: Vec::new(),
            });
            next_line += 1;
        }
        // A quoted cell may span lines: those are not blank lines.
        let spanned: usize = record.iter().map(|cell| cell.matches('\n').count()).sum();
        visit(Row {
            line,
            cells: record.iter().map(str::to_owned).collect(),
        });
        next_line = line + spanned + 1;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn read_rows(text: &str) -> Result<Vec<Row>, usize> {
        let mut rows = Vec::new();
        for_each_row(text, |row| rows.push(row)).map(|()| rows)
    }

    fn lines(text: &str) -> Vec<(usize, usize)> {
        read_rows(text)
            .unwrap_or_default()
            .iter()
            .map(|row| (row.line, row.cells.len()))
            .collect()
    }

    #[test]
    fn numbers_rows_by_physical_line_including_blank_ones() {
        assert_eq!(
            lines("a,b\n1,2\n\n3,4\n"),
            vec![(1, 2), (2, 2), (3, 0), (4, 2)]
        );
        assert_eq!(
            lines("a,b\r\n1,2\r\n\r\n\r\n3,4"),
            vec![(1, 2), (2, 2), (3, 0), (4, 0), (5, 2)]
        );
        assert_eq!(
            lines("a,b\n\"x\ny\",2\n3,4\n"),
            vec![(1, 2), (2, 2), (4, 2)]
        );
    }

    #[test]
    fn decodes_utf8_with_or_without_bom_utf16_and_gbk() {
        assert_eq!(decode("楼号".as_bytes()).as_deref(), Some("楼号"));
        assert_eq!(decode(b"\xEF\xBB\xBFzone").as_deref(), Some("zone"));
        // 楼号,室号 in GBK.
        assert_eq!(
            decode(b"\xC2\xA5\xBA\xC5,\xCA\xD2\xBA\xC5").as_deref(),
            Some("楼号,室号")
        );
        assert_eq!(decode(b"\xFF\xFEa\x00,\x00").as_deref(), Some("a,"));
        // A lone lead byte at the end is neither UTF-8 nor GBK.
        assert_eq!(decode(b"abc\xC2"), None);
    }

    #[test]
    fn stops_reading_past_the_row_limit() {
        let header = "楼号,室号,面积,业主编号\n";
        let row = "1,101,88.50,A1\n";
        let at_limit = format!("{header}{}", row.repeat(super::super::MAX_ROSTER_ROWS - 1));
        assert_eq!(
            read_rows(&at_limit).map(|rows| rows.len()),
            Ok(super::super::MAX_ROSTER_ROWS)
        );
        let over = format!("{at_limit}{row}{row}");
        assert_eq!(
            read_rows(&over).map(|rows| rows.len()),
            Err(super::super::MAX_ROSTER_ROWS + 1)
        );
        // Blank lines count: they are lines a person sees.
        let blank_over = format!("{at_limit}\n\n{row}");
        assert_eq!(
            read_rows(&blank_over).map(|rows| rows.len()),
            Err(super::super::MAX_ROSTER_ROWS + 1)
        );
    }

    #[test]
    fn detects_the_delimiter() {
        assert_eq!(delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(delimiter("title\na\tb\tc\n\"1,234.50\"\t2\t3"), b'\t');
        assert_eq!(delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(delimiter("a\n"), b',');
    }

    #[test]
    fn lines_are_counted_to_the_last_that_is_not_blank() {
        assert_eq!(line_count(""), 0);
        assert_eq!(line_count("\n\n  \n"), 0);
        assert_eq!(line_count("building,room"), 1);
        assert_eq!(line_count("building,room\r\n1,101\r\n"), 2);
        assert_eq!(
            line_count("building,room\n\n1,101\n\n\n"),
            3,
            "a blank line within counts"
        );
    }

    #[test]
    fn a_file_past_the_row_limit_is_refused_at_its_first_row_too_many() {
        let limit = super::super::MAX_ROSTER_ROWS;
        let mut text = String::from("building,room,area,owner_id\n");
        for n in 1..limit {
            text.push_str(&format!("1,{n},80,P{n}\n"));
        }
        text.push_str("\n\n"); // trailing blank lines are no rows
        let too_many = |check: &RosterCheck| {
            check
                .errors
                .iter()
                .find(|i| matches!(i.kind, IssueKind::TooManyRows { .. }))
                .map(|i| i.line)
        };
        assert_eq!(too_many(&check(text.as_bytes())), None, "at the limit");
        text.push_str("1,x,80,PX\n");
        let past = check(text.as_bytes());
        assert_eq!(
            too_many(&past),
            Some(limit + 1),
            "{:?}",
            past.errors.first()
        );
        assert_eq!(past.errors.len(), 1, "only the row limit is reported");
    }
}
