//! Short-lived session tokens (HS256). A staff token names the user, the estate and the role;
//! an owner token names the voter, the assembly and the voting code it was opened with, so that
//! re-issuing the code ends the session too.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Subject {
    Staff {
        user: String,
        login: String,
        estate: String,
        role: String,
        /// The user's token generation at sign-in (`auth::revocation`); tokens issued before
        /// the claim existed read as generation 0.
        #[serde(default, rename = "gen")]
        generation: i64,
    },
    Owner {
        voter: String,
        assembly: String,
        estate: String,
        code: String,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    #[serde(flatten)]
    subject: Subject,
    iat: u64,
    exp: u64,
    iss: String,
}

const ISSUER: &str = "gongjue";

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl: Duration) -> JwtKeys {
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn issue(&self, subject: Subject) -> Result<String, ApiError> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            subject,
            iat: now,
            exp: now + self.ttl.as_secs(),
            iss: ISSUER.into(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("signing a token: {e}")))
    }

    pub fn verify(&self, token: &str) -> Result<Subject, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims.subject)
            .map_err(|_| ApiError::BadToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_a_foreign_one_fails() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", Duration::from_secs(60));
        let subject = Subject::Owner {
            voter: "P1".into(),
            assembly: "a".into(),
            estate: "e".into(),
            code: "c".into(),
        };
        let token = keys.issue(subject.clone()).unwrap();
        assert_eq!(keys.verify(&token).unwrap(), subject);
        let other = JwtKeys::new(b"another secret another secret!!!", Duration::from_secs(60));
        assert!(matches!(other.verify(&token), Err(ApiError::BadToken)));
        assert!(matches!(
            keys.verify("not.a.token"),
            Err(ApiError::BadToken)
        ));
    }

    #[test]
    fn an_expired_token_fails() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", Duration::from_secs(0));
        let claims = Claims {
            subject: Subject::Staff {
                user: "u".into(),
                login: "l".into(),
                estate: "e".into(),
                role: "secretary".into(),
                generation: 0,
            },
            iat: 1,
            exp: 2,
            iss: ISSUER.into(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding).unwrap();
        assert!(matches!(keys.verify(&token), Err(ApiError::BadToken)));
    }
}
