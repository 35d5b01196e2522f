//! The bundle as written, before any check: serde types whose fields are all optional, so a
//! missing field is reported by the reader with its JSON path instead of by serde without one.
//!
//! The electorate and ballots borrow their strings from the input where JSON allows it (no
//! escapes), so a 100,000-unit bundle costs little more than its own bytes while it is read.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

#[derive(Debug, Deserialize)]
pub struct RawBundle<'a> {
    #[serde(borrow)]
    pub format: Option<Text<'a>>,
    #[serde(borrow)]
    pub kind: Option<Text<'a>>,
    /// Present (even as `null`) or absent: `"matter": null` is not a matter, it is an error.
    #[serde(default, deserialize_with = "present")]
    pub matter: Option<serde_json::Value>,
    pub rule: Option<serde_json::Value>,
    /// Like `matter`: a member that is there, whatever its value, is checked.
    #[serde(default, deserialize_with = "present")]
    pub follow_majority: Option<serde_json::Value>,
    pub invalid_counts_as_participation: Option<bool>,
    #[serde(borrow)]
    pub concurrent: Option<Text<'a>>,
    #[serde(borrow)]
    pub electorate: Option<Vec<RawUnit<'a>>>,
    #[serde(borrow)]
    pub ballots: Option<Vec<RawBallot<'a>>>,
    pub seats: Option<u32>,
    pub candidates: Option<Vec<String>>,
    pub rank_by: Option<Vec<String>>,
    pub questions: Option<Vec<RawQuestion>>,
    pub quorum: Option<Vec<RawThreshold>>,
}

/// A member that is present, `null` included (serde's `Option` would read `null` as absent).
fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

#[derive(Debug, Deserialize)]
pub struct RawUnit<'a> {
    #[serde(borrow)]
    pub unit: Option<Text<'a>>,
    #[serde(borrow)]
    pub building: Option<Text<'a>>,
    #[serde(borrow)]
    pub stairwell: Option<Text<'a>>,
    #[serde(borrow)]
    pub zone: Option<Text<'a>>,
    #[serde(borrow)]
    pub area: Option<Text<'a>>,
    #[serde(borrow)]
    pub voter: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct RawBallot<'a> {
    #[serde(borrow)]
    pub voter: Option<Text<'a>>,
    #[serde(borrow)]
    pub choice: Option<RawChoice<'a>>,
    #[serde(borrow)]
    pub answers: Option<BTreeMap<Text<'a>, Vec<Text<'a>>>>,
}

/// A motion's `"yes"`, an election's `["c1", "c3"]` or `"abstain"`.
#[derive(Debug, Deserialize)]
#[serde(untagged, expecting = "a choice: a string, or a list of candidate ids")]
pub enum RawChoice<'a> {
    One(#[serde(borrow)] Text<'a>),
    Many(#[serde(borrow)] Vec<Text<'a>>),
}

#[derive(Debug, Deserialize)]
pub struct RawCustomRule {
    pub participation: Option<Vec<RawThreshold>>,
    pub approval: Option<Vec<RawThreshold>>,
}

#[derive(Debug, Deserialize)]
pub struct RawThreshold {
    pub measure: Option<String>,
    pub op: Option<String>,
    pub fraction: Option<String>,
    pub of: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RawQuestion {
    pub id: Option<String>,
    pub options: Option<Vec<String>>,
    pub max_choices: Option<u32>,
    pub decide: Option<Vec<RawThreshold>>,
}

/// A JSON string, borrowed from the input when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Text<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text<'a>, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}
