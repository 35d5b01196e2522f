//! The two ways a message leaves: an SMTP relay (rustls, no OpenSSL) or a `.eml` file per
//! message in a directory (the embedded default, so a fresh install needs no mail server).

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use std::io::Write;
use std::path::{Path, PathBuf};

use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use gongjue_store::outbox::OutboxEmail;

use crate::config::ConfigError;
use crate::mail::settings::{SmtpTls, TransportSettings};

/// Why a message did not leave. Permanent failures (the relay answered 5xx, or the stored
/// message cannot be built) are not retried; transient ones (connection refused, 4xx, a full
/// disk) are, with back-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Permanent(String),
    Transient(String),
}

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// The directory of `.eml` files (what lettre's file transport writes, but atomically:
    /// lettre's leaves a truncated file behind when the disk is full, and a retry a second one).
    File(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Transport::Smtp(_) => "Transport::Smtp",
            Transport::File(_) => "Transport::File",
        })
    }
}

fn config(setting: &str, reason: impl std::fmt::Display) -> ConfigError {
    ConfigError::Mail {
        setting: setting.to_owned(),
        reason: reason.to_string(),
    }
}

impl Transport {
    /// Builds the transport; the file transport's directory is created if missing. No
    /// connection is made here: a relay that is down at start-up only delays the messages.
    pub fn new(settings: &TransportSettings) -> Result<Transport, ConfigError> {
        match settings {
            TransportSettings::File { dir } => {
                // Owner-only: the files hold voting codes (see `gongjue_store::files`).
                gongjue_store::files::create_private_dir(dir)
                    .map_err(|e| config("mail_dir", format!("{}: {e}", dir.display())))?;
                Ok(Transport::File(dir.clone()))
            }
            TransportSettings::Smtp(smtp) => {
                let tls = |host: &str| {
                    TlsParameters::new(host.to_owned()).map_err(|e| config("smtp_tls", e))
                };
                let security = match smtp.tls {
                    SmtpTls::StartTls => Tls::Required(tls(&smtp.host)?),
                    SmtpTls::Implicit => Tls::Wrapper(tls(&smtp.host)?),
                    SmtpTls::None => Tls::None,
                };
                let mut builder =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.as_str())
                        .port(smtp.port)
                        .tls(security)
                        .timeout(Some(smtp.timeout));
                if let (Some(user), Some(password)) = (&smtp.user, &smtp.password) {
                    builder =
                        builder.credentials(Credentials::new(user.clone(), password.0.clone()));
                }
                Ok(Transport::Smtp(builder.build()))
            }
        }
    }

    /// Hands one message of `kind` to the relay (or writes its file). `Ok` means the relay
    /// accepted it.
    pub async fn send(&self, message: Message, kind: &str) -> Result<(), Failure> {
        match self {
            Transport::Smtp(smtp) => match smtp.send(message).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
                Err(e) => Err(Failure::Transient(e.to_string())),
            },
            Transport::File(dir) => {
                let (dir, bytes, kind) = (dir.clone(), message.formatted(), kind.to_owned());
                match tokio::task::spawn_blocking(move || write_eml(&dir, &kind, &bytes)).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(Failure::Transient(format!("writing the message file: {e}"))),
                    Err(e) => Err(Failure::Transient(format!("writing the message file: {e}"))),
                }
            }
        }
    }
}

/// The file name of a message of `kind`: `<uuid>-<kind>.eml` (time-ordered; the kind tells the
/// operator, and the pickup rule, which files hold a voting code).
pub fn eml_name(kind: &str) -> String {
    let kind: String = kind
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    format!("{}-{kind}.eml", uuid::Uuid::now_v7())
}

/// Whether the `.eml` file `name` holds a voting code (its kind is one of
/// `gongjue_store::outbox::CODE_KINDS`).
pub fn eml_holds_code(name: &str) -> bool {
    name.strip_suffix(".eml")
        .and_then(|stem| stem.rsplit_once('-'))
        .is_some_and(|(_, kind)| gongjue_store::outbox::holds_code(kind))
}

/// Writes one message as `<uuid>-<kind>.eml`, owner-only (0600): first to a hidden `.partial`
/// file, synced, then renamed, so that the directory only ever holds whole messages; a failed
/// write (a full disk) leaves nothing and the outbox keeps the message pending.
fn write_eml(dir: &Path, kind: &str, bytes: &[u8]) -> std::io::Result<()> {
    let name = eml_name(kind);
    let partial = dir.join(format!(".{name}.partial"));
    let written = gongjue_store::files::private_new_file()
        .open(&partial)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        });
    let renamed = written.and_then(|()| std::fs::rename(&partial, dir.join(&name)));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    renamed
}

/// The stored e-mail as a MIME message: text and HTML alternatives, UTF-8, and a Message-ID
/// derived from the outbox row, so that the rare second send of one row (see the worker) is
/// recognisable as the same message by the recipient's mail program.
pub fn message(email: &OutboxEmail, from: &Mailbox) -> Result<Message, Failure> {
    let to: Mailbox = email
        .recipient
        .parse()
        .map_err(|e| Failure::Permanent(format!("recipient address: {e}")))?;
    let domain = from.email.domain();
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", email.id)))
        .date_now();
    let built = match &email.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            email.body_text.clone(),
            html.clone(),
        )),
        None => builder
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(email.body_text.clone()),
    };
    built.map_err(|e| Failure::Permanent(format!("building the message: {e}")))
}
