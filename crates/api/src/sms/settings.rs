//! SMS settings: the transport (a file per message by default, or Tencent Cloud SMS), the
//! sign-in codes' lifetime and limits, and the secret path of the provider's receipts.
//! Resolved from flags > environment > the TOML file's `[sms]` section > defaults, like the
//! `[mail]` section. Secrets come from the environment or a file, never from a flag.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::config::ConfigError;
use crate::sms::tencent::{Secret, TencentSettings};

pub const DEFAULT_SMS_DIR: &str = "./data/sms/";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsTransportSettings {
    /// Each message written as `<id>-<kind>.sms` (the number and the text) into this directory.
    File {
        dir: PathBuf,
    },
    Tencent(TencentSettings),
}

/// The sign-in by SMS code: how long a code lives and how often one may be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    pub code_ttl: Duration,
    /// Codes per number within the attempt window.
    pub per_number: u32,
    /// Code requests per client address within the window.
    pub per_address: u32,
    /// Code requests per estate within the window (a flood through many addresses).
    pub per_estate: u32,
    /// Wrong codes typed before a code is spent.
    pub tries_per_code: i32,
}

impl Default for SignInLimits {
    fn default() -> SignInLimits {
        SignInLimits {
            code_ttl: Duration::from_secs(300),
            per_number: 3,
            per_address: 10,
            per_estate: 300,
            tries_per_code: 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsSettings {
    pub transport: SmsTransportSettings,
    pub sign_in: SignInLimits,
    /// The secret last segment of the receipts' URL (`/api/v1/sms/receipts/{token}`) given to
    /// the provider: the provider's callback is not signed, so only who knows it may report.
    pub receipt_token: Option<Secret>,
}

impl Default for SmsSettings {
    fn default() -> SmsSettings {
        SmsSettings {
            transport: SmsTransportSettings::File {
                dir: DEFAULT_SMS_DIR.into(),
            },
            sign_in: SignInLimits::default(),
            receipt_token: None,
        }
    }
}

/// The SMS flags of `gongjue serve`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SmsArgs {
    /// How SMS leave: `file` (a .sms file per message in --sms-dir) or `tencent` (Tencent Cloud
    /// SMS; see docs/operations.md). [default: file]
    #[arg(long, env = "GONGJUE_SMS_TRANSPORT", value_name = "file|tencent")]
    pub sms_transport: Option<String>,
    /// Directory of the file transport. [default: ./data/sms/]
    #[arg(long, env = "GONGJUE_SMS_DIR", value_name = "DIR")]
    pub sms_dir: Option<PathBuf>,
    /// Tencent Cloud API endpoint. [default: https://sms.tencentcloudapi.com]
    #[arg(long, env = "GONGJUE_SMS_ENDPOINT", value_name = "URL")]
    pub sms_endpoint: Option<String>,
    /// Tencent Cloud region. [default: ap-guangzhou]
    #[arg(long, env = "GONGJUE_SMS_REGION")]
    pub sms_region: Option<String>,
    /// The SmsSdkAppId of the SMS application.
    #[arg(long, env = "GONGJUE_SMS_APP_ID")]
    pub sms_app_id: Option<String>,
    /// The approved signature (签名) printed before every message, e.g. `湖畔花园业委会`.
    #[arg(long, env = "GONGJUE_SMS_SIGN_NAME")]
    pub sms_sign_name: Option<String>,
    /// The API key's SecretId. The SecretKey comes from GONGJUE_SMS_SECRET_KEY or
    /// --sms-secret-key-file, never from a flag.
    #[arg(long, env = "GONGJUE_SMS_SECRET_ID")]
    pub sms_secret_id: Option<String>,
    /// File holding the SecretKey (first line).
    #[arg(long, env = "GONGJUE_SMS_SECRET_KEY_FILE", value_name = "FILE")]
    pub sms_secret_key_file: Option<PathBuf>,
    /// File holding the secret last segment of the receipts' URL (first line); without it
    /// receipts are refused. GONGJUE_SMS_RECEIPT_TOKEN also works.
    #[arg(long, env = "GONGJUE_SMS_RECEIPT_TOKEN_FILE", value_name = "FILE")]
    pub sms_receipt_token_file: Option<PathBuf>,
    /// Minutes a sign-in code sent by SMS stays valid. [default: 5]
    #[arg(long, env = "GONGJUE_SMS_CODE_MINUTES")]
    pub sms_code_minutes: Option<u64>,
}

/// The TOML `[sms]` section. `templates` maps each kind of SMS to its approved template id.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsFile {
    transport: Option<String>,
    dir: Option<PathBuf>,
    endpoint: Option<String>,
    region: Option<String>,
    app_id: Option<String>,
    sign_name: Option<String>,
    secret_id: Option<String>,
    secret_key_file: Option<PathBuf>,
    receipt_token_file: Option<PathBuf>,
    code_minutes: Option<u64>,
    codes_per_number: Option<u32>,
    codes_per_address: Option<u32>,
    codes_per_estate: Option<u32>,
    #[serde(default)]
    templates: BTreeMap<String, String>,
}

fn sms_error(setting: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Mail {
        setting: format!("sms.{setting}"),
        reason: reason.into(),
    }
}

/// The first line of a secret file.
fn first_line(setting: &str, path: &PathBuf) -> Result<String, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| sms_error(setting, format!("{}: {e}", path.display())))?;
    let line = text.lines().next().unwrap_or("").trim().to_owned();
    if line.is_empty() {
        return Err(sms_error(setting, format!("{} is empty", path.display())));
    }
    Ok(line)
}

impl SmsArgs {
    /// Resolves flags > environment > `[sms]` > defaults. `env_secret` and `env_token` are
    /// GONGJUE_SMS_SECRET_KEY and GONGJUE_SMS_RECEIPT_TOKEN, passed in for the tests.
    pub fn resolve(
        self,
        file: SmsFile,
        env_secret: Option<String>,
        env_token: Option<String>,
    ) -> Result<SmsSettings, ConfigError> {
        let transport = self
            .sms_transport
            .or(file.transport)
            .unwrap_or_else(|| "file".into());
        let transport = match transport.trim().to_ascii_lowercase().as_str() {
            "file" => SmsTransportSettings::File {
                dir: self
                    .sms_dir
                    .or(file.dir)
                    .unwrap_or_else(|| DEFAULT_SMS_DIR.into()),
            },
            "tencent" => {
                let need = |value: Option<String>, setting: &str| {
                    value
                        .map(|v| v.trim().to_owned())
                        .filter(|v| !v.is_empty())
                        .ok_or_else(|| sms_error(setting, "the tencent transport needs it"))
                };
                let secret_key = match (
                    env_secret.filter(|s| !s.is_empty()),
                    self.sms_secret_key_file.or(file.secret_key_file),
                ) {
                    (Some(key), _) => key,
                    (None, Some(path)) => first_line("secret_key_file", &path)?,
                    (None, None) => {
                        return Err(sms_error(
                            "secret_key_file",
                            "the tencent transport needs the SecretKey (GONGJUE_SMS_SECRET_KEY or a file)",
                        ));
                    }
                };
                let endpoint = self
                    .sms_endpoint
                    .or(file.endpoint)
                    .unwrap_or_else(|| crate::sms::tencent::DEFAULT_ENDPOINT.into());
                if url::Url::parse(&endpoint).map_or(true, |u| u.host_str().is_none()) {
                    return Err(sms_error("endpoint", format!("`{endpoint}` is not a URL")));
                }
                for kind in file.templates.keys() {
                    if !crate::sms::text::KINDS.contains(&kind.as_str()) {
                        return Err(sms_error(
                            "templates",
                            format!(
                                "`{kind}` is not a kind of SMS ({})",
                                crate::sms::text::KINDS.join(", ")
                            ),
                        ));
                    }
                }
                SmsTransportSettings::Tencent(TencentSettings {
                    endpoint,
                    region: self
                        .sms_region
                        .or(file.region)
                        .unwrap_or_else(|| "ap-guangzhou".into()),
                    secret_id: need(self.sms_secret_id.or(file.secret_id), "secret_id")?,
                    secret_key: Secret(secret_key),
                    sdk_app_id: need(self.sms_app_id.or(file.app_id), "app_id")?,
                    sign_name: need(self.sms_sign_name.or(file.sign_name), "sign_name")?,
                    templates: file.templates,
                    timeout: Duration::from_secs(15),
                })
            }
            other => {
                return Err(sms_error(
                    "transport",
                    format!("`{other}` is not file or tencent"),
                ));
            }
        };
        let receipt_token = match (
            env_token.filter(|t| !t.is_empty()),
            self.sms_receipt_token_file.or(file.receipt_token_file),
        ) {
            (Some(token), _) => Some(token),
            (None, Some(path)) => Some(first_line("receipt_token_file", &path)?),
            (None, None) => None,
        };
        if receipt_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(sms_error(
                "receipt_token_file",
                "the receipts' token must be at least 16 characters (anyone who guesses it can report deliveries)",
            ));
        }
        let defaults = SignInLimits::default();
        let minutes = self
            .sms_code_minutes
            .or(file.code_minutes)
            .unwrap_or(defaults.code_ttl.as_secs() / 60);
        if !(1..=30).contains(&minutes) {
            return Err(sms_error("code_minutes", "must be 1 to 30"));
        }
        let positive = |value: Option<u32>, default: u32, setting: &str| match value {
            Some(0) => Err(sms_error(setting, "must be at least 1")),
            other => Ok(other.unwrap_or(default)),
        };
        Ok(SmsSettings {
            transport,
            sign_in: SignInLimits {
                code_ttl: Duration::from_secs(minutes * 60),
                per_number: positive(
                    file.codes_per_number,
                    defaults.per_number,
                    "codes_per_number",
                )?,
                per_address: positive(
                    file.codes_per_address,
                    defaults.per_address,
                    "codes_per_address",
                )?,
                per_estate: positive(
                    file.codes_per_estate,
                    defaults.per_estate,
                    "codes_per_estate",
                )?,
                tries_per_code: defaults.tries_per_code,
            },
            receipt_token: receipt_token.map(Secret),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_transport_is_the_default() {
        let settings = SmsArgs::default()
            .resolve(SmsFile::default(), None, None)
            .unwrap();
        assert_eq!(settings, SmsSettings::default());
    }

    #[test]
    fn tencent_needs_its_settings_and_hides_its_secrets() {
        let file: SmsFile = toml::from_str(
            "transport = \"tencent\"\napp_id = \"1400000000\"\nsign_name = \"湖畔花园\"\nsecret_id = \"AKIDexample\"\n[templates]\ninvitation = \"123456\"\n",
        )
        .unwrap();
        let settings = SmsArgs::default()
            .resolve(
                file,
                Some("s3cret-key".into()),
                Some("a-long-receipt-token".into()),
            )
            .unwrap();
        let SmsTransportSettings::Tencent(tencent) = &settings.transport else {
            panic!("tencent expected")
        };
        assert_eq!(
            tencent.templates.get("invitation").map(String::as_str),
            Some("123456")
        );
        let printed = format!("{settings:?}");
        assert!(!printed.contains("s3cret-key"), "{printed}");
        assert!(!printed.contains("a-long-receipt-token"), "{printed}");

        for (toml_text, setting) in [
            (
                "transport = \"tencent\"\napp_id = \"1\"\nsign_name = \"s\"\n",
                "sms.secret_id",
            ),
            ("transport = \"pigeon\"\n", "sms.transport"),
            (
                "transport = \"tencent\"\napp_id = \"1\"\nsign_name = \"s\"\nsecret_id = \"i\"\n[templates]\nlottery = \"1\"\n",
                "sms.templates",
            ),
            ("code_minutes = 0\n", "sms.code_minutes"),
        ] {
            let file: SmsFile = toml::from_str(toml_text).unwrap();
            let error = SmsArgs::default()
                .resolve(file, Some("k".into()), None)
                .unwrap_err();
            assert!(
                matches!(&error, ConfigError::Mail { setting: s, .. } if s == setting),
                "{toml_text}: {error}"
            );
        }
    }
}
