//! Hostile input: whatever bytes arrive, reading a bundle returns a result or input errors,
//! never a panic, and every input error names a path.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use gongjue_domain::{DomainError, bundle};
use proptest::prelude::*;

const EXAMPLES: [&str; 5] = [
    include_str!("../../../docs/examples/07-election-tie-for-last-seat.json"),
    include_str!("../../../docs/examples/08-consultation-four-fifths-of-households.json"),
    include_str!("../../../docs/examples/09-concurrent-zone-veto.json"),
    include_str!("../../../docs/examples/11-follow-joins-the-majority.json"),
    include_str!("../../../docs/examples/22-follow-decided-per-concurrent-group.json"),
];

fn check(bytes: &[u8]) {
    match bundle::read(bytes) {
        Ok(tally) => {
            let _ = tally.result();
            let _ = tally.breakdown();
        }
        Err(DomainError::InvalidBundle(errors)) => {
            assert!(!errors.is_empty());
            assert!(
                errors
                    .iter()
                    .all(|e| !e.path.is_empty() && !e.message.is_empty()),
                "{errors:?}"
            );
        }
        Err(other) => panic!("reading returned a non-input error: {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples_never_panic(which in 0usize..EXAMPLES.len(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = EXAMPLES[which].as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        check(&bytes);
    }

    #[test]
    fn truncated_examples_never_panic(which in 0usize..EXAMPLES.len(), at in any::<prop::sample::Index>()) {
        let bytes = EXAMPLES[which].as_bytes();
        check(&bytes[..at.index(bytes.len())]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        check(&bytes);
    }
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_document() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(EXAMPLES[0].as_bytes());
    assert!(bundle::read(&bytes).is_ok());
}
