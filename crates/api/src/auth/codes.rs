//! Owners' voting codes: 12 characters from a 30-character alphabet of digits and capital
//! letters without look-alikes (no 0/O, 1/I/L, U), i.e. 58.9 bits, printed as `ABCD-EFGH-JKMN`:
//! easy to read off a paper notice and to type on a phone.
//!
//! Only a keyed hash (HMAC-SHA-256 under the server's secret) is stored: lookups stay a single
//! indexed query, and a stolen database without the secret does not give codes away. A slow
//! password hash per code would make lookup by code impossible; 60 random bits and the attempt
//! limits make a fast keyed hash safe here.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::usecases::UseCaseError;

const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const CODE_LEN: usize = 12;

/// A fresh random code, grouped by four for printing.
pub fn generate() -> Result<String, UseCaseError> {
    // Rejection sampling: bytes from 240 up would make the first letters likelier.
    let limit = u8::try_from(ALPHABET.len() * 8).unwrap_or(240);
    let mut letters: Vec<char> = Vec::with_capacity(CODE_LEN);
    while letters.len() < CODE_LEN {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| UseCaseError::Internal(format!("no randomness: {e}")))?;
        letters.extend(
            bytes
                .iter()
                .filter(|b| **b < limit)
                .filter_map(|b| {
                    ALPHABET
                        .get(usize::from(*b) % ALPHABET.len())
                        .copied()
                        .map(char::from)
                })
                .take(CODE_LEN - letters.len()),
        );
    }
    let groups: Vec<String> = letters.chunks(4).map(|c| c.iter().collect()).collect();
    Ok(groups.join("-"))
}

/// The code as typed, made canonical: case, spaces and dashes do not matter, and the letters
/// people confuse are read as the digits they look like.
pub fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// The stored form of a code: hex HMAC-SHA-256 of the normalized code.
pub fn hash(key: &[u8], code: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(b"gongjue-voting-code/1:");
    mac.update(normalize(code).as_bytes());
    format!("{:x}", mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_and_use_the_alphabet() {
        let code = generate().unwrap();
        assert_eq!(code.len(), CODE_LEN + 2);
        assert!(normalize(&code).bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(generate().unwrap(), code);
    }

    #[test]
    fn typing_variants_hash_alike_and_keys_matter() {
        let key = b"k";
        assert_eq!(hash(key, "abcd-efgh-jkmn"), hash(key, "ABCD EFGH JKMN"));
        assert_ne!(hash(key, "ABCDEFGHJKMN"), hash(b"other", "ABCDEFGHJKMN"));
        assert_ne!(hash(key, "ABCDEFGHJKMN"), hash(key, "ABCDEFGHJKMP"));
    }

    #[test]
    fn the_alphabet_has_no_lookalikes() {
        for c in [b'0', b'O', b'1', b'I', b'L', b'U'] {
            assert!(!ALPHABET.contains(&c));
        }
    }
}
