//! A receipt as owners read and copy it: the pages, the notices and the published list show the
//! same short form.

/// The first 48 bits of a receipt in four-letter groups (`9F3A-21C0-7B44`): enough to find it
/// in the published list, short enough to copy by hand.
pub fn short_receipt(receipt: &str) -> String {
    let head: Vec<char> = receipt
        .chars()
        .take(12)
        .flat_map(char::to_uppercase)
        .collect();
    head.chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The formula of a sheet's receipt (see [`sheet_receipt`]).
pub const SHEET_RECEIPT_V1: &str = "gongjue-sheet/1";

/// The one receipt of an owner's sheet, from the receipts of the ballots it holds (each a
/// `gongjue-ballot/2` receipt, as e-mailed and published per unit and item): the SHA-256 of the
/// JSON array `["gongjue-sheet/1", [receipt, …]]`, the receipts in lower-case hex, sorted and
/// without repeats, so that anyone holding the published list can recompute it from the rows of
/// the owner's units (docs/guide-auditor.md). Shown in its short form like any receipt.
pub fn sheet_receipt<S: AsRef<str>>(receipts: &[S]) -> String {
    use sha2::Digest;
    let mut sorted: Vec<String> = receipts
        .iter()
        .map(|r| r.as_ref().to_ascii_lowercase())
        .collect();
    sorted.sort_unstable();
    sorted.dedup();
    let canonical = serde_json::json!([SHEET_RECEIPT_V1, sorted]).to_string();
    sha2::Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheets_receipt_depends_on_its_ballots_not_their_order() {
        let a = sheet_receipt(&["aa", "bb"]);
        assert_eq!(a, sheet_receipt(&["BB", "aa", "bb"]));
        assert_ne!(a, sheet_receipt(&["aa"]));
        assert_eq!(a.len(), 64);
        // The documented formula, recomputed by hand (docs/guide-auditor.md).
        use sha2::Digest;
        let by_hand: String = sha2::Sha256::digest(br#"["gongjue-sheet/1",["aa","bb"]]"#)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(a, by_hand);
    }
}
