//! Mail settings: the transport (a `.eml` file per message by default, or an SMTP relay), the
//! sender address, the public address of the service for links, and the worker's timing.
//! Resolved from flags > environment > the TOML file's `[mail]` section > defaults, like the
//! rest of `config.rs`.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use serde::Deserialize;

use crate::config::ConfigError;

pub const DEFAULT_MAIL_DIR: &str = "./data/outbox/";
pub const DEFAULT_FROM: &str = "Gongjue <gongjue@localhost>";
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// How the relay's connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (usually port 587); refused if the relay
    /// does not offer it.
    StartTls,
    /// TLS from the first byte (usually port 465).
    Implicit,
    /// No encryption: only for a relay on the same host or a test server.
    None,
}

impl SmtpTls {
    fn parse(text: &str) -> Result<SmtpTls, ConfigError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(SmtpTls::StartTls),
            "implicit" | "tls" | "smtps" => Ok(SmtpTls::Implicit),
            "none" => Ok(SmtpTls::None),
            other => Err(mail_error(
                "smtp_tls",
                format!("`{other}` is not starttls, implicit or none"),
            )),
        }
    }

    fn default_port(self) -> u16 {
        match self {
            SmtpTls::StartTls => 587,
            SmtpTls::Implicit => 465,
            SmtpTls::None => 25,
        }
    }
}

/// The relay's password; never printed, not even by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub user: Option<String>,
    pub password: Option<Password>,
    /// Limit of one SMTP conversation; a hung relay must not hold the worker.
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportSettings {
    /// Each message written as `<id>.eml` into this directory (no mail server needed).
    File {
        dir: PathBuf,
    },
    Smtp(SmtpSettings),
}

/// When and how the worker works through the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Pause between two looks at the outbox when it has nothing due.
    pub poll: Duration,
    /// How long a claimed message is reserved for its worker; after that another worker (or the
    /// same after a restart) sends it again. Longer than one SMTP conversation.
    pub lease: Duration,
    /// Wait after the first failure; doubled after each further one, up to `retry_max`.
    pub retry_first: Duration,
    pub retry_max: Duration,
    /// Age (since queued) after which a message that still fails is given up (`failed`).
    pub give_up_after: Duration,
    /// Messages claimed per round.
    pub batch: i64,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            poll: Duration::from_secs(5),
            lease: Duration::from_secs(300),
            retry_first: Duration::from_secs(60),
            retry_max: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(48 * 3600),
            batch: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    pub transport: TransportSettings,
    pub from: Mailbox,
    pub timing: Timing,
    /// Scheduled reminder rounds, in hours before an open assembly closes (none by default).
    pub reminder_hours: Vec<u64>,
    /// File transport: how long a written `.eml` that holds a voting code (an invitation) stays
    /// in the directory for pickup before it is deleted.
    pub pickup: Duration,
}

/// Default of `mail_pickup_hours`.
pub const DEFAULT_PICKUP_HOURS: u64 = 24;

/// The mail flags of `gongjue serve` (flattened into `ServeArgs`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MailArgs {
    /// How notices leave: `file` (a .eml file per message in --mail-dir, for a fresh install
    /// without a mail server) or `smtp` (a relay, see --smtp-host). [default: file]
    #[arg(long, env = "GONGJUE_MAIL_TRANSPORT", value_name = "file|smtp")]
    pub mail_transport: Option<String>,
    /// Directory of the file transport. [default: ./data/outbox/]
    #[arg(long, env = "GONGJUE_MAIL_DIR", value_name = "DIR")]
    pub mail_dir: Option<PathBuf>,
    /// Sender of every notice, e.g. `湖畔花园业主大会 <notice@example.org>`. [default: Gongjue <gongjue@localhost>]
    #[arg(long, env = "GONGJUE_MAIL_FROM", value_name = "MAILBOX")]
    pub mail_from: Option<String>,
    /// The SMTP relay's host name (checked against its TLS certificate).
    #[arg(long, env = "GONGJUE_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// The relay's port. [default: 587 with starttls, 465 with implicit, 25 with none]
    #[arg(long, env = "GONGJUE_SMTP_PORT")]
    pub smtp_port: Option<u16>,
    /// `starttls`, `implicit` (TLS from the start) or `none` (local relays only). [default: starttls]
    #[arg(long, env = "GONGJUE_SMTP_TLS", value_name = "starttls|implicit|none")]
    pub smtp_tls: Option<String>,
    /// User name at the relay, if it wants one. The password comes from the environment
    /// variable GONGJUE_SMTP_PASSWORD or from --smtp-password-file, never from a flag.
    #[arg(long, env = "GONGJUE_SMTP_USER", value_name = "USER")]
    pub smtp_user: Option<String>,
    /// File holding the relay's password (first line).
    #[arg(long, env = "GONGJUE_SMTP_PASSWORD_FILE", value_name = "FILE")]
    pub smtp_password_file: Option<PathBuf>,
    /// Hours after which a message the relay keeps refusing is given up and shown as failed
    /// in the outbox. [default: 48]
    #[arg(long, env = "GONGJUE_MAIL_GIVE_UP_HOURS")]
    pub mail_give_up_hours: Option<u64>,
    /// Seconds between two looks at the outbox. [default: 5]
    #[arg(long, env = "GONGJUE_MAIL_POLL_SECONDS")]
    pub mail_poll_seconds: Option<u64>,
    /// Seconds before the first retry of a failed message, doubled after each further failure
    /// up to an hour. [default: 60]
    #[arg(long, env = "GONGJUE_MAIL_RETRY_SECONDS")]
    pub mail_retry_seconds: Option<u64>,
    /// Scheduled reminder rounds to members who have not voted, in hours before an open
    /// assembly closes, e.g. `72,24`. [default: none; the secretary sends rounds by hand]
    #[arg(
        long,
        env = "GONGJUE_MAIL_REMINDER_HOURS",
        value_delimiter = ',',
        value_name = "HOURS,…"
    )]
    pub mail_reminder_hours: Option<Vec<u64>>,
    /// File transport: hours an invitation's `.eml` file (it holds the owner's voting code in
    /// clear) stays in --mail-dir for whoever picks the files up, before it is deleted. The
    /// database's copy of the body is erased as soon as the file is written. [default: 24]
    #[arg(long, env = "GONGJUE_MAIL_PICKUP_HOURS", value_name = "HOURS")]
    pub mail_pickup_hours: Option<u64>,
}

/// The TOML `[mail]` section: the same settings without the `mail_`/`smtp_` prefixes of the
/// flags where they would repeat the section's name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailFile {
    transport: Option<String>,
    dir: Option<PathBuf>,
    from: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_tls: Option<String>,
    smtp_user: Option<String>,
    smtp_password_file: Option<PathBuf>,
    give_up_hours: Option<u64>,
    poll_seconds: Option<u64>,
    retry_seconds: Option<u64>,
    reminder_hours_before_close: Option<Vec<u64>>,
    pickup_hours: Option<u64>,
}

impl MailFile {
    /// The file transport's directory, when the file names that transport (or none).
    pub(crate) fn file_dir(&self) -> Option<PathBuf> {
        match self
            .transport
            .as_deref()
            .map(|t| t.trim().to_ascii_lowercase())
        {
            None => Some(self.dir.clone().unwrap_or_else(|| DEFAULT_MAIL_DIR.into())),
            Some(t) if t == "file" => {
                Some(self.dir.clone().unwrap_or_else(|| DEFAULT_MAIL_DIR.into()))
            }
            Some(_) => None,
        }
    }
}

fn mail_error(setting: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Mail {
        setting: setting.to_owned(),
        reason: reason.into(),
    }
}

impl MailArgs {
    /// Resolves flags > environment > `[mail]` > defaults. `env_password` is the value of
    /// GONGJUE_SMTP_PASSWORD, passed in so that tests need not touch the environment.
    pub fn resolve(
        self,
        file: MailFile,
        env_password: Option<String>,
    ) -> Result<MailSettings, ConfigError> {
        let transport = self
            .mail_transport
            .or(file.transport)
            .unwrap_or_else(|| "file".into());
        let transport = match transport.trim().to_ascii_lowercase().as_str() {
            "file" => TransportSettings::File {
                dir: self
                    .mail_dir
                    .or(file.dir)
                    .unwrap_or_else(|| DEFAULT_MAIL_DIR.into()),
            },
            "smtp" => {
                let host = self
                    .smtp_host
                    .or(file.smtp_host)
                    .filter(|h| !h.trim().is_empty());
                let host = host.ok_or_else(|| {
                    mail_error("smtp_host", "the smtp transport needs the relay's host")
                })?;
                let tls = SmtpTls::parse(
                    &self
                        .smtp_tls
                        .or(file.smtp_tls)
                        .unwrap_or_else(|| "starttls".into()),
                )?;
                let password = match (
                    env_password.filter(|p| !p.is_empty()),
                    self.smtp_password_file.or(file.smtp_password_file),
                ) {
                    (Some(password), _) => Some(Password(password)),
                    (None, Some(path)) => {
                        let text = std::fs::read_to_string(&path).map_err(|e| {
                            mail_error("smtp_password_file", format!("{}: {e}", path.display()))
                        })?;
                        Some(Password(text.lines().next().unwrap_or("").to_owned()))
                    }
                    (None, None) => None,
                };
                let user = self.smtp_user.or(file.smtp_user).filter(|u| !u.is_empty());
                if password.is_some() && user.is_none() {
                    return Err(mail_error("smtp_user", "a password is given but no user"));
                }
                TransportSettings::Smtp(SmtpSettings {
                    port: self
                        .smtp_port
                        .or(file.smtp_port)
                        .unwrap_or(tls.default_port()),
                    host: host.trim().to_owned(),
                    tls,
                    user,
                    password,
                    timeout: Duration::from_secs(60),
                })
            }
            other => {
                return Err(mail_error(
                    "mail_transport",
                    format!("`{other}` is not file or smtp"),
                ));
            }
        };
        let from_text = self
            .mail_from
            .or(file.from)
            .unwrap_or_else(|| DEFAULT_FROM.into());
        let from: Mailbox = from_text
            .parse()
            .map_err(|e| mail_error("mail_from", format!("`{from_text}`: {e}")))?;
        let defaults = Timing::default();
        let hours = self.mail_give_up_hours.or(file.give_up_hours).unwrap_or(48);
        // A year at most: hours become seconds, and a larger number is a typing mistake.
        if !(1..=8760).contains(&hours) {
            return Err(mail_error(
                "mail_give_up_hours",
                "must be 1 to 8760 (a year)",
            ));
        }
        let retry = self
            .mail_retry_seconds
            .or(file.retry_seconds)
            .map_or(defaults.retry_first, Duration::from_secs);
        let timing = Timing {
            poll: self
                .mail_poll_seconds
                .or(file.poll_seconds)
                .map_or(defaults.poll, |s| Duration::from_secs(s.max(1))),
            give_up_after: Duration::from_secs(hours * 3600),
            retry_first: retry.max(Duration::from_secs(1)),
            retry_max: defaults.retry_max.max(retry),
            ..defaults
        };
        let reminder_hours = self
            .mail_reminder_hours
            .or(file.reminder_hours_before_close)
            .unwrap_or_default();
        if reminder_hours.contains(&0) {
            return Err(mail_error(
                "mail_reminder_hours",
                "0 hours before closing is too late for a reminder",
            ));
        }
        let pickup_hours = self
            .mail_pickup_hours
            .or(file.pickup_hours)
            .unwrap_or(DEFAULT_PICKUP_HOURS);
        if !(1..=8760).contains(&pickup_hours) {
            return Err(mail_error(
                "mail_pickup_hours",
                "must be 1 to 8760 (a year)",
            ));
        }
        Ok(MailSettings {
            transport,
            from,
            timing,
            reminder_hours,
            pickup: Duration::from_secs(pickup_hours * 3600),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_transport_is_the_default() {
        let settings = MailArgs::default()
            .resolve(MailFile::default(), None)
            .unwrap();
        assert_eq!(
            settings.transport,
            TransportSettings::File {
                dir: DEFAULT_MAIL_DIR.into()
            }
        );
        assert_eq!(
            settings.timing.give_up_after,
            Duration::from_secs(48 * 3600)
        );
        assert!(
            settings.reminder_hours.is_empty(),
            "no scheduled reminders unless asked for"
        );
        let file: MailFile = toml::from_str("reminder_hours_before_close = [72, 24]").unwrap();
        assert_eq!(
            MailArgs::default()
                .resolve(file, None)
                .unwrap()
                .reminder_hours,
            [72, 24]
        );
    }

    #[test]
    fn smtp_takes_flags_over_the_file_and_hides_the_password() {
        let file: MailFile = toml::from_str("transport = \"smtp\"\nsmtp_host = \"mail.example.org\"\nsmtp_tls = \"implicit\"\nsmtp_user = \"notice\"\n").unwrap();
        let args = MailArgs {
            smtp_host: Some("relay.example.org".into()),
            ..MailArgs::default()
        };
        let settings = args.resolve(file, Some("s3cret".into())).unwrap();
        let TransportSettings::Smtp(smtp) = &settings.transport else {
            panic!("smtp expected")
        };
        assert_eq!(
            (smtp.host.as_str(), smtp.port, smtp.tls),
            ("relay.example.org", 465, SmtpTls::Implicit)
        );
        assert_eq!(smtp.password, Some(Password("s3cret".into())));
        assert!(
            !format!("{settings:?}").contains("s3cret"),
            "the password must never be printed"
        );
    }

    #[test]
    fn bad_settings_name_the_setting() {
        let cases = [
            (
                MailArgs {
                    mail_transport: Some("smtp".into()),
                    ..MailArgs::default()
                },
                "smtp_host",
            ),
            (
                MailArgs {
                    mail_transport: Some("carrier-pigeon".into()),
                    ..MailArgs::default()
                },
                "mail_transport",
            ),
            (
                MailArgs {
                    mail_from: Some("not an address".into()),
                    ..MailArgs::default()
                },
                "mail_from",
            ),
            (
                MailArgs {
                    mail_transport: Some("smtp".into()),
                    smtp_host: Some("h".into()),
                    smtp_tls: Some("ssl3".into()),
                    ..MailArgs::default()
                },
                "smtp_tls",
            ),
        ];
        for (args, setting) in cases {
            let error = args.resolve(MailFile::default(), None).unwrap_err();
            assert!(
                matches!(&error, ConfigError::Mail { setting: s, .. } if s == setting),
                "{error}"
            );
        }
    }
}
