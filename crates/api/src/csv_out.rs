//! Every CSV the service produces is written through [`InertCsv`], so that no cell of it can
//! run as a formula in a spreadsheet, whichever column it is in and wherever its text came from
//! (a title typed by staff, a unit number or building from the roster file, an owner's name).

use std::borrow::Cow;

/// A CSV writer whose every cell is made inert.
pub struct InertCsv {
    writer: csv::Writer<Vec<u8>>,
}

impl InertCsv {
    pub fn new() -> InertCsv {
        InertCsv {
            writer: csv::Writer::from_writer(Vec::new()),
        }
    }

    /// Writes one record, every cell through [`inert`].
    pub fn record<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.writer.write_record(
            cells
                .into_iter()
                .map(|cell| inert(cell.as_ref()).into_owned()),
        )
    }

    pub fn finish(self) -> Result<Vec<u8>, csv::Error> {
        self.writer
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

impl Default for InertCsv {
    fn default() -> Self {
        InertCsv::new()
    }
}

/// A cell that spreadsheet programs show as text, never evaluate: a text starting with `=`,
/// `+`, `-`, `@` (formulas, `=HYPERLINK(…)`, `+cmd|…`), a tab or a carriage return (which some
/// programs skip before looking for one) gets a leading `'` (OWASP's advice for CSV injection).
/// The full-width forms (`＝`, `＋`, `－`, `＠`) are treated alike, as some spreadsheet programs
/// in Chinese locales convert them on input.
pub fn inert(text: &str) -> Cow<'_, str> {
    const STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    if text.starts_with(STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_that_could_be_a_formula_is_quoted() {
        let mut w = InertCsv::new();
        w.record([
            "=HYPERLINK(\"http://evil.example\")",
            "+cmd|' /C calc'!A0",
            "1-1-101",
            "-1",
            "@SUM(A1)",
            "\tx",
            "＝1+1",
            "12.50",
        ])
        .unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://evil.example\"\")\",'+cmd|' /C calc'!A0,1-1-101,'-1,'@SUM(A1),'\tx,'＝1+1,12.50\n"
        );
    }
}
