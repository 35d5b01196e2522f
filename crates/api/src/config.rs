//! Settings of `gongjue serve`: flags, then environment, then an optional TOML file, then
//! defaults. Every setting is documented in `gongjue serve --help`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::app::BodyLimits;
use crate::auth::client_addr::TrustedProxies;
use crate::mail::settings::{DEFAULT_PUBLIC_URL, MailArgs, MailFile, MailSettings};
use crate::retention::{DEFAULT_CONTACT_RETENTION_DAYS, PrivacyFile};
use crate::sms::settings::{SmsArgs, SmsFile, SmsSettings};
use crate::state::Limits;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/gongjue.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_SECRET_FILE: &str = "./data/secret.key";

/// The command line of `gongjue serve`. Each flag also reads the environment variable shown,
/// and, when neither is given, the key of the same name (with `_` for `-`) in the TOML file.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// TOML file with any of the settings below, e.g. `bind = "0.0.0.0:8080"`.
    #[arg(long, env = "GONGJUE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address and port to listen on. [default: 127.0.0.1:8080]
    #[arg(long, env = "GONGJUE_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// postgres://USER:PASSWORD@HOST/DB for PostgreSQL; sqlite://PATH or a plain path for SQLite
    /// (created if missing). [default: sqlite://./data/gongjue.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// File with the server secret that signs sessions and keys the voting codes' hashes.
    /// Created on first start; keep it and back it up: without it issued codes stop working.
    /// [default: ./data/secret.key]
    #[arg(long, env = "GONGJUE_SECRET_FILE", value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// Lifetime of session tokens, in minutes. [default: 30]
    #[arg(long, env = "GONGJUE_TOKEN_TTL_MINUTES")]
    pub token_ttl_minutes: Option<u64>,
    /// HTTP worker threads. [default: the number of CPUs]
    #[arg(long, env = "GONGJUE_WORKERS")]
    pub workers: Option<usize>,
    /// Largest JSON request body, in KiB. [default: 64]
    #[arg(long, env = "GONGJUE_JSON_LIMIT_KIB")]
    pub json_limit_kib: Option<usize>,
    /// Largest roster upload, in MiB. [default: 16]
    #[arg(long, env = "GONGJUE_UPLOAD_LIMIT_MIB")]
    pub upload_limit_mib: Option<usize>,
    /// Failed voting-code attempts allowed per client address within the window. [default: 20]
    #[arg(long, env = "GONGJUE_CODE_FAILURES_PER_IP")]
    pub code_failures_per_ip: Option<u32>,
    /// Failed voting-code attempts allowed per assembly (all clients) within the window. [default: 200]
    #[arg(long, env = "GONGJUE_CODE_FAILURES_PER_ASSEMBLY")]
    pub code_failures_per_assembly: Option<u32>,
    /// Failed staff logins allowed per client address within the window. [default: 10]
    #[arg(long, env = "GONGJUE_LOGIN_FAILURES_PER_IP")]
    pub login_failures_per_ip: Option<u32>,
    /// The window of the attempt limits, in minutes. [default: 15]
    #[arg(long, env = "GONGJUE_ATTEMPT_WINDOW_MINUTES")]
    pub attempt_window_minutes: Option<u64>,
    /// Reverse proxies (IP addresses or CIDR ranges, e.g. `10.0.0.5,10.1.0.0/16`) whose
    /// `X-Forwarded-For` header names the client for the attempt limits and the audit log.
    /// Requests from any other peer are keyed on the peer's own address and the header is
    /// ignored. [default: none]
    #[arg(
        long,
        env = "GONGJUE_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP|CIDR,…"
    )]
    pub trusted_proxies: Option<Vec<String>>,
    /// Seconds given to in-flight requests at shutdown (SIGINT/SIGTERM). [default: 30]
    #[arg(long, env = "GONGJUE_SHUTDOWN_TIMEOUT_SECONDS")]
    pub shutdown_timeout_seconds: Option<u64>,
    /// How long a write waits for another's lock on a SQLite database before the request is
    /// answered 503 with Retry-After, in milliseconds. [default: 10000]
    #[arg(long, env = "GONGJUE_DB_BUSY_TIMEOUT_MS")]
    pub db_busy_timeout_ms: Option<u64>,
    /// How long a request waits for a database connection (e.g. while PostgreSQL restarts)
    /// before it is answered 503 with Retry-After, in milliseconds. [default: 10000]
    #[arg(long, env = "GONGJUE_DB_CONNECT_TIMEOUT_MS")]
    pub db_connect_timeout_ms: Option<u64>,
    /// Log filter, e.g. `info` or `gongjue_api=debug,actix_web=info`. [default: info]
    #[arg(long, env = "RUST_LOG", value_name = "FILTER")]
    pub log: Option<String>,
    /// The address owners reach the service at, for the links in notices
    /// (`{public_url}/v/{code}`), e.g. `https://vote.example.org`. [default: http://127.0.0.1:8080]
    #[arg(long, env = "GONGJUE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Notices by e-mail (TOML: the `[mail]` section).
    #[command(flatten)]
    pub mail: MailArgs,
    /// Notices and sign-in codes by SMS (TOML: the `[sms]` section).
    #[command(flatten)]
    pub sms: SmsArgs,
    /// Days owners' contact data (names, phones, e-mail addresses from the roster) is kept
    /// after the estate last needed it: after the final publication of its latest assembly, or
    /// after the roster's import if none was finalised since. Also how long handled outbox
    /// messages keep their recipient and body, and `.eml` files their content. 0 keeps contact
    /// data until the next roster import (which always erases the previous roster's).
    /// TOML: `contact_retention_days` in `[privacy]`. [default: 365]
    #[arg(long, env = "GONGJUE_CONTACT_RETENTION_DAYS", value_name = "DAYS")]
    pub contact_retention_days: Option<u32>,
}

/// The TOML file: the same settings, all optional; unknown keys are an error (a typo would
/// otherwise be silently ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    bind: Option<String>,
    database_url: Option<String>,
    secret_file: Option<PathBuf>,
    token_ttl_minutes: Option<u64>,
    workers: Option<usize>,
    json_limit_kib: Option<usize>,
    upload_limit_mib: Option<usize>,
    code_failures_per_ip: Option<u32>,
    code_failures_per_assembly: Option<u32>,
    login_failures_per_ip: Option<u32>,
    attempt_window_minutes: Option<u64>,
    trusted_proxies: Option<Vec<String>>,
    shutdown_timeout_seconds: Option<u64>,
    db_busy_timeout_ms: Option<u64>,
    db_connect_timeout_ms: Option<u64>,
    log: Option<String>,
    public_url: Option<String>,
    #[serde(default)]
    mail: MailFile,
    #[serde(default)]
    sms: SmsFile,
    #[serde(default)]
    privacy: PrivacyFile,
}

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub secret_file: PathBuf,
    pub token_ttl: Duration,
    pub workers: usize,
    pub body: BodyLimits,
    pub limits: Limits,
    pub attempt_window: Duration,
    pub trusted_proxies: TrustedProxies,
    pub shutdown_timeout: Duration,
    pub db_waits: gongjue_store::Waits,
    pub log: String,
    /// Without a trailing `/`.
    pub public_url: String,
    pub mail: MailSettings,
    pub sms: SmsSettings,
    /// Days contact data is kept once no longer needed (0: until the next roster).
    pub contact_retention_days: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Toml {
        path: String,
        source: toml::de::Error,
    },
    #[error("secret file {path}: {reason}")]
    Secret { path: String, reason: String },
    #[error("trusted_proxies: {0}")]
    TrustedProxies(String),
    #[error("mail setting {setting}: {reason}")]
    Mail { setting: String, reason: String },
    #[error("{setting}: {value} is outside {min} to {max}")]
    OutOfRange {
        setting: &'static str,
        value: u64,
        min: u64,
        max: u64,
    },
}

/// A number setting within its bounds: the units it is given in are multiplied into bytes,
/// seconds or dates, which a number out of range would overflow.
fn bounded<T: Copy + Into<u64>>(
    setting: &'static str,
    value: Option<T>,
    default: T,
    min: u64,
    max: u64,
) -> Result<T, ConfigError> {
    let value = value.unwrap_or(default);
    let wide: u64 = value.into();
    if (min..=max).contains(&wide) {
        Ok(value)
    } else {
        Err(ConfigError::OutOfRange {
            setting,
            value: wide,
            min,
            max,
        })
    }
}

/// [`bounded`] for sizes (`usize` has no `Into<u64>`).
fn bounded_usize(
    setting: &'static str,
    value: Option<usize>,
    default: usize,
    max: usize,
) -> Result<usize, ConfigError> {
    let value = value.unwrap_or(default);
    if (1..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::OutOfRange {
            setting,
            value: u64::try_from(value).unwrap_or(u64::MAX),
            min: 1,
            max: u64::try_from(max).unwrap_or(u64::MAX),
        })
    }
}

/// Contact data is kept at most a hundred years (0: never erased by age).
pub const MAX_CONTACT_RETENTION_DAYS: u64 = 36_500;

impl ServeArgs {
    pub fn resolve(self) -> Result<Settings, ConfigError> {
        let file = read_file(self.config.as_deref())?;
        let workers_default =
            std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let public_url = self
            .public_url
            .or(file.public_url)
            .unwrap_or_else(|| DEFAULT_PUBLIC_URL.into());
        if !(public_url.starts_with("https://") || public_url.starts_with("http://")) {
            return Err(ConfigError::Mail {
                setting: "public_url".into(),
                reason: format!("`{public_url}` is not an http(s) URL"),
            });
        }
        let trusted_proxies = TrustedProxies::parse(
            &self
                .trusted_proxies
                .or(file.trusted_proxies)
                .unwrap_or_default(),
        )
        .map_err(ConfigError::TrustedProxies)?;
        let mail = self
            .mail
            .resolve(file.mail, std::env::var("GONGJUE_SMTP_PASSWORD").ok())?;
        let sms = self.sms.resolve(
            file.sms,
            std::env::var("GONGJUE_SMS_SECRET_KEY").ok(),
            std::env::var("GONGJUE_SMS_RECEIPT_TOKEN").ok(),
        )?;
        Ok(Settings {
            sms,
            contact_retention_days: bounded(
                "contact_retention_days",
                self.contact_retention_days
                    .or(file.privacy.contact_retention_days),
                DEFAULT_CONTACT_RETENTION_DAYS,
                0,
                MAX_CONTACT_RETENTION_DAYS,
            )?,
            public_url: public_url.trim_end_matches('/').to_owned(),
            mail,
            bind: self
                .bind
                .or(file.bind)
                .unwrap_or_else(|| DEFAULT_BIND.into()),
            database_url: self
                .database_url
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            secret_file: self
                .secret_file
                .or(file.secret_file)
                .unwrap_or_else(|| DEFAULT_SECRET_FILE.into()),
            token_ttl: Duration::from_secs(
                60 * bounded(
                    "token_ttl_minutes",
                    self.token_ttl_minutes.or(file.token_ttl_minutes),
                    30,
                    1,
                    7 * 24 * 60,
                )?,
            ),
            workers: self.workers.or(file.workers).unwrap_or(workers_default),
            body: BodyLimits {
                json_bytes: 1024
                    * bounded_usize(
                        "json_limit_kib",
                        self.json_limit_kib.or(file.json_limit_kib),
                        64,
                        1 << 20,
                    )?,
                upload_bytes: 1024
                    * 1024
                    * bounded_usize(
                        "upload_limit_mib",
                        self.upload_limit_mib.or(file.upload_limit_mib),
                        16,
                        4096,
                    )?,
            },
            limits: Limits {
                code_failures_per_ip: self
                    .code_failures_per_ip
                    .or(file.code_failures_per_ip)
                    .unwrap_or(20),
                code_failures_per_assembly: self
                    .code_failures_per_assembly
                    .or(file.code_failures_per_assembly)
                    .unwrap_or(200),
                login_failures_per_ip: self
                    .login_failures_per_ip
                    .or(file.login_failures_per_ip)
                    .unwrap_or(10),
            },
            attempt_window: Duration::from_secs(
                60 * bounded(
                    "attempt_window_minutes",
                    self.attempt_window_minutes.or(file.attempt_window_minutes),
                    15,
                    1,
                    7 * 24 * 60,
                )?,
            ),
            trusted_proxies,
            shutdown_timeout: Duration::from_secs(
                self.shutdown_timeout_seconds
                    .or(file.shutdown_timeout_seconds)
                    .unwrap_or(30),
            ),
            db_waits: gongjue_store::Waits {
                busy: Duration::from_millis(
                    self.db_busy_timeout_ms
                        .or(file.db_busy_timeout_ms)
                        .unwrap_or(10_000),
                ),
                connect: Duration::from_millis(
                    self.db_connect_timeout_ms
                        .or(file.db_connect_timeout_ms)
                        .unwrap_or(10_000),
                ),
            },
            log: self.log.or(file.log).unwrap_or_else(|| "info".into()),
        })
    }
}

/// The database URL as `gongjue serve` resolves it (flag or `DATABASE_URL`, then the TOML file's
/// `database_url`, then the default), for the command-line tools that work on the same database.
pub fn database_url(config: Option<&Path>, flag: Option<String>) -> Result<String, ConfigError> {
    if let Some(url) = flag {
        return Ok(url);
    }
    Ok(read_file(config)?
        .database_url
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()))
}

/// The secret file as `gongjue serve` resolves it (flag or `GONGJUE_SECRET_FILE`, then the TOML
/// file's `secret_file`, then the default), for the command-line tools that need it.
pub fn secret_file(config: Option<&Path>, flag: Option<PathBuf>) -> Result<PathBuf, ConfigError> {
    if let Some(path) = flag {
        return Ok(path);
    }
    Ok(read_file(config)?
        .secret_file
        .unwrap_or_else(|| DEFAULT_SECRET_FILE.into()))
}

/// The TOML file, or no settings without one.
fn read_file(config: Option<&Path>) -> Result<FileSettings, ConfigError> {
    match config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.display().to_string(),
                source,
            })?;
            toml::from_str::<FileSettings>(&text).map_err(|source| ConfigError::Toml {
                path: path.display().to_string(),
                source,
            })
        }
        None => Ok(FileSettings::default()),
    }
}

/// The retention setting and the file transport's directory as `gongjue serve` resolves them
/// (flag or environment, then the TOML file, then defaults), for `gongjue admin purge-contacts`.
pub fn retention(
    config: Option<&Path>,
    days: Option<u32>,
    mail_dir: Option<PathBuf>,
) -> Result<(u32, Option<PathBuf>), ConfigError> {
    let file = read_file(config)?;
    let days = bounded(
        "contact_retention_days",
        days.or(file.privacy.contact_retention_days),
        DEFAULT_CONTACT_RETENTION_DAYS,
        0,
        MAX_CONTACT_RETENTION_DAYS,
    )?;
    Ok((days, mail_dir.or_else(|| file.mail.file_dir())))
}

/// The SQLite database file of `database_url` (none for PostgreSQL).
pub fn sqlite_path(database_url: &str) -> Option<PathBuf> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return None;
    }
    Some(PathBuf::from(
        database_url
            .strip_prefix("sqlite://")
            .unwrap_or(database_url),
    ))
}

/// Before a SQLite database is opened: its folder (`./data/` on a fresh install) created
/// `0700`, the file created `0600`, and the database's files narrowed to `0600` if an earlier
/// version left them wider. Returns what was narrowed, for the log.
pub fn prepare_sqlite_dir(
    database_url: &str,
) -> std::io::Result<Vec<gongjue_store::files::Tightened>> {
    match sqlite_path(database_url) {
        Some(path) => gongjue_store::files::secure_sqlite(&path),
        None => Ok(Vec::new()),
    }
}

/// Reads the server secret (at least 32 characters), which must exist.
pub fn load_secret(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let err = |reason: String| ConfigError::Secret {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let text = text.trim();
    if text.len() < 32 {
        return Err(err("shorter than 32 characters".into()));
    }
    Ok(text.as_bytes().to_vec())
}

/// Reads the server secret, or creates it (32 random bytes, hex, owner-only, in a folder
/// created owner-only) on first start.
pub fn load_or_create_secret(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let err = |reason: String| ConfigError::Secret {
        path: path.display().to_string(),
        reason,
    };
    match std::fs::metadata(path) {
        Ok(_) => load_secret(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                gongjue_store::files::create_private_dir(dir).map_err(|e| err(e.to_string()))?;
            }
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| err(e.to_string()))?;
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let mut file = gongjue_store::files::private_new_file()
                .open(path)
                .map_err(|e| err(e.to_string()))?;
            std::io::Write::write_all(&mut file, hex.as_bytes()).map_err(|e| err(e.to_string()))?;
            Ok(hex.into_bytes())
        }
        Err(e) => Err(err(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file_which_beats_defaults() {
        let dir =
            std::env::temp_dir().join(format!("gongjue-config-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("gongjue.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\ntoken_ttl_minutes = 5\nworkers = 3\ndb_busy_timeout_ms = 250\n").unwrap();
        let args = ServeArgs {
            config: Some(file.clone()),
            workers: Some(7),
            ..ServeArgs::default()
        };
        let settings = args.resolve().unwrap();
        assert_eq!(settings.bind, "0.0.0.0:9000");
        assert_eq!(settings.token_ttl, Duration::from_secs(300));
        assert_eq!(settings.workers, 7);
        assert_eq!(settings.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(settings.db_waits.busy, Duration::from_millis(250));
        assert_eq!(
            settings.db_waits.connect,
            Duration::from_secs(10),
            "the default"
        );
        assert_eq!(
            settings.contact_retention_days, DEFAULT_CONTACT_RETENTION_DAYS,
            "the default"
        );
        std::fs::write(&file, "[privacy]\ncontact_retention_days = 90\n").unwrap();
        let args = ServeArgs {
            config: Some(file.clone()),
            ..ServeArgs::default()
        };
        assert_eq!(args.resolve().unwrap().contact_retention_days, 90);
        let args = ServeArgs {
            config: Some(file.clone()),
            contact_retention_days: Some(0),
            ..ServeArgs::default()
        };
        assert_eq!(
            args.resolve().unwrap().contact_retention_days,
            0,
            "the flag (or its variable) beats the file"
        );
        assert_eq!(
            retention(Some(&file), None, None).unwrap(),
            (90, Some(crate::mail::settings::DEFAULT_MAIL_DIR.into()))
        );
        std::fs::write(&file, "[privacy]\ncontact_retention = 90\n").unwrap();
        assert!(
            ServeArgs {
                config: Some(file.clone()),
                ..ServeArgs::default()
            }
            .resolve()
            .is_err(),
            "a typo in [privacy] is an error"
        );
        std::fs::write(&file, "bnid = \"x\"\n").unwrap();
        assert!(
            ServeArgs {
                config: Some(file),
                ..ServeArgs::default()
            }
            .resolve()
            .is_err(),
            "a typo in the file is an error"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn trusted_proxies_come_from_the_file_or_the_flag_and_bad_entries_are_named() {
        let dir =
            std::env::temp_dir().join(format!("gongjue-config-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("gongjue.toml");
        std::fs::write(&file, "trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.1\"]\n").unwrap();
        let settings = ServeArgs {
            config: Some(file.clone()),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(
            settings.trusted_proxies,
            TrustedProxies::parse(&["10.0.0.0/8", "192.0.2.1"]).unwrap()
        );
        let flag = ServeArgs {
            config: Some(file),
            trusted_proxies: Some(vec!["127.0.0.1".into()]),
            ..ServeArgs::default()
        };
        assert_eq!(
            flag.resolve().unwrap().trusted_proxies,
            TrustedProxies::parse(&["127.0.0.1"]).unwrap(),
            "the flag wins"
        );
        assert!(
            ServeArgs::default()
                .resolve()
                .unwrap()
                .trusted_proxies
                .is_empty(),
            "none by default"
        );
        let bad = ServeArgs {
            trusted_proxies: Some(vec!["proxy.lan".into()]),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap_err();
        assert!(
            bad.to_string().contains("trusted_proxies") && bad.to_string().contains("proxy.lan"),
            "{bad}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_secret_is_created_once_and_kept() {
        let dir =
            std::env::temp_dir().join(format!("gongjue-secret-{}", uuid::Uuid::now_v7().simple()));
        let path = dir.join("secret.key");
        let first = load_or_create_secret(&path).unwrap();
        assert_eq!(load_or_create_secret(&path).unwrap(), first);
        let _ = std::fs::remove_dir_all(dir);
    }
}
