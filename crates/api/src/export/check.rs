//! The offline check of an export, as `gongjue verify` runs it: the signature and its key,
//! the digest of the exact bytes, then a recount by the domain crate compared figure by
//! figure with the `result` the file carries. Stops at the first mismatch and names it.

use gongjue_domain::bundle;
use serde_json::Value;

use crate::export::jws::{self, Claims, JwsError};

/// What was checked, for the report.
#[derive(Debug, Clone)]
pub struct Checked {
    pub kid: String,
    pub claims: Claims,
    pub figures: usize,
    /// A trial estate's export: its signed claim or its title says so.
    pub trial: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum Mismatch {
    #[error("signature: {0}")]
    Signature(#[from] JwsError),
    #[error("digest: the file's SHA-256 is {actual}, the signature covers {signed}")]
    Digest { signed: String, actual: String },
    #[error("bundle: {0}")]
    Bundle(String),
    #[error("result: the file has no result to compare")]
    NoResult,
    #[error("{path}: the file says {found}, the recount gives {recount}")]
    Figure {
        path: String,
        found: String,
        recount: String,
    },
    #[error("claims: the signed outcome is {signed}, the file's result says {found}")]
    Outcome { signed: String, found: String },
}

/// Checks `bundle` (the exact bytes of `NAME.json`) against `token` and the key set `jwks`.
pub fn check(bundle_bytes: &[u8], token: &str, jwks: &Value) -> Result<Checked, Mismatch> {
    let (kid, claims) = jws::verify(token, jwks)?;
    let actual = jws::sha256_hex(bundle_bytes);
    if actual != claims.bundle_sha256 {
        return Err(Mismatch::Digest {
            signed: claims.bundle_sha256,
            actual,
        });
    }
    let doc: Value =
        serde_json::from_slice(bundle_bytes).map_err(|e| Mismatch::Bundle(e.to_string()))?;
    let embedded = doc.get("result").ok_or(Mismatch::NoResult)?;
    let tally = bundle::read(bundle_bytes).map_err(|e| Mismatch::Bundle(e.to_string()))?;
    let recount =
        serde_json::to_value(tally.result()).map_err(|e| Mismatch::Bundle(e.to_string()))?;
    let mut figures = 0;
    compare("result", embedded, &recount, &mut figures)?;
    let found = embedded
        .get("outcome")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if found != claims.outcome {
        let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "none".into());
        return Err(Mismatch::Outcome {
            signed: show(&claims.outcome),
            found: show(&found),
        });
    }
    let titled_trial = doc
        .get("title")
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with(crate::count::TRIAL_TITLE_PREFIX));
    Ok(Checked {
        kid,
        trial: claims.trial || titled_trial,
        claims,
        figures,
    })
}

/// Every member of both sides, in the recount's order; the first difference by JSON path.
/// Members the file has and the recount lacks are differences too (a forged extra figure).
fn compare(
    path: &str,
    found: &Value,
    recount: &Value,
    figures: &mut usize,
) -> Result<(), Mismatch> {
    let differ = |path: String, found: Option<&Value>, recount: Option<&Value>| {
        let show = |v: Option<&Value>| v.map_or_else(|| "nothing".to_owned(), Value::to_string);
        Err(Mismatch::Figure {
            path,
            found: show(found),
            recount: show(recount),
        })
    };
    match (found, recount) {
        (Value::Object(f), Value::Object(r)) => {
            for (key, value) in r {
                let sub = format!("{path}.{key}");
                match f.get(key) {
                    Some(fv) => compare(&sub, fv, value, figures)?,
                    None => return differ(sub, None, Some(value)),
                }
            }
            if let Some((key, value)) = f.iter().find(|(k, _)| !r.contains_key(*k)) {
                return differ(format!("{path}.{key}"), Some(value), None);
            }
            Ok(())
        }
        (Value::Array(f), Value::Array(r)) => {
            for (i, value) in r.iter().enumerate() {
                let sub = format!("{path}[{i}]");
                match f.get(i) {
                    Some(fv) => compare(&sub, fv, value, figures)?,
                    None => return differ(sub, None, Some(value)),
                }
            }
            if let Some(extra) = f.get(r.len()) {
                return differ(format!("{path}[{}]", r.len()), Some(extra), None);
            }
            Ok(())
        }
        (f, r) if f == r => {
            *figures += 1;
            Ok(())
        }
        (f, r) => differ(path.to_owned(), Some(f), Some(r)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_differing_figure_is_named_by_its_path() {
        let recount = json!({"outcome": "passed", "choices": {"yes": {"area": "110.00", "heads": 2}}, "elected": ["a"]});
        let mut n = 0;
        assert!(compare("result", &recount.clone(), &recount, &mut n).is_ok());
        assert_eq!(n, 4);
        let changed = json!({"outcome": "passed", "choices": {"yes": {"area": "110.00", "heads": 3}}, "elected": ["a"]});
        let err = compare("result", &changed, &recount, &mut 0)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "result.choices.yes.heads: the file says 3, the recount gives 2"
        );
        let extra = json!({"outcome": "passed", "choices": {"yes": {"area": "110.00", "heads": 2}}, "elected": ["a", "b"]});
        assert!(
            compare("result", &extra, &recount, &mut 0)
                .unwrap_err()
                .to_string()
                .starts_with("result.elected[1]:")
        );
        let missing =
            json!({"outcome": "passed", "choices": {"yes": {"heads": 2}}, "elected": ["a"]});
        assert!(
            compare("result", &missing, &recount, &mut 0)
                .unwrap_err()
                .to_string()
                .starts_with("result.choices.yes.area:")
        );
    }
}
