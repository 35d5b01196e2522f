//! Short-lived session tokens (HS256). A staff token names the user, the estate, the role and
//! the user's session generation; an owner token names the voter, the assembly and the voting
//! code it was opened with, so that re-issuing the code ends the session too. Every token has an
//! id (`jti`) so that one session can be ended (`auth::revocation`), and the time its session
//! began (`auth_time`), which a refresh keeps, so that refreshing cannot extend it for ever.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::usecases::UseCaseError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Subject {
    Staff {
        user: String,
        login: String,
        estate: String,
        role: String,
        /// The user's session generation when the token was issued (`auth::revocation`).
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
    jti: String,
    auth_time: u64,
}

/// A token whose signature, issuer and expiry were checked: who it names and which session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub subject: Subject,
    pub session: SessionId,
}

/// One session: its token's id, expiry and the sign-in it descends from (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionId {
    pub jti: String,
    pub exp: u64,
    pub auth_time: u64,
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

    /// A token for a new session, begun now.
    pub fn issue(&self, subject: Subject) -> Result<String, UseCaseError> {
        self.issue_since(subject, jsonwebtoken::get_current_timestamp())
    }

    /// A token for a session begun at `auth_time` (a refresh keeps the sign-in's time), with a
    /// fresh id and a fresh expiry.
    pub fn issue_since(&self, subject: Subject, auth_time: u64) -> Result<String, UseCaseError> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            subject,
            iat: now,
            exp: now + self.ttl.as_secs(),
            iss: ISSUER.into(),
            jti: uuid::Uuid::now_v7().to_string(),
            auth_time,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| UseCaseError::Internal(format!("signing a token: {e}")))
    }

    /// Checks signature, issuer and expiry; whether the session was ended meanwhile is
    /// `auth::revocation`'s question.
    pub fn verify(&self, token: &str) -> Result<Verified, UseCaseError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| Verified {
                subject: data.claims.subject,
                session: SessionId {
                    jti: data.claims.jti,
                    exp: data.claims.exp,
                    auth_time: data.claims.auth_time,
                },
            })
            .map_err(|_| UseCaseError::BadSession)
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
        let verified = keys.verify(&token).unwrap();
        assert_eq!(verified.subject, subject);
        // Every token is its own session: two issued at once differ in their id.
        let again = keys.verify(&keys.issue(subject).unwrap()).unwrap();
        assert_ne!(verified.session.jti, again.session.jti);
        let other = JwtKeys::new(b"another secret another secret!!!", Duration::from_secs(60));
        assert!(matches!(
            other.verify(&token),
            Err(UseCaseError::BadSession)
        ));
        assert!(matches!(
            keys.verify("not.a.token"),
            Err(UseCaseError::BadSession)
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
            jti: "j".into(),
            auth_time: 1,
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding).unwrap();
        assert!(matches!(keys.verify(&token), Err(UseCaseError::BadSession)));
    }
}
