//! Command-line interface: one sub-command per job.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod admin;
mod audit;
mod backup;
mod database;
mod keys;
mod serve;
mod tally;
mod verify;
mod verify_log;
pub mod witness;

#[derive(Debug, Parser)]
#[command(
    name = "gongjue",
    version,
    about = "Gongjue (共决): owners' assemblies, elections and consultations"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service (JSON API under /api/v1, OpenAPI at /api/openapi.json).
    ///
    /// With no settings it uses a SQLite file under ./data/ and listens on 127.0.0.1:8080.
    /// Precedence: flags, then environment variables, then the TOML file, then defaults.
    Serve(Box<crate::config::ServeArgs>),
    /// Bootstrap a fresh install: estates, staff accounts, passwords.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// The estates' signing keys: list, rotate, export the public keys as a JWKS, re-encrypt
    /// the private keys under a new secret file (rewrap).
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// The audit log: `verify` walks its hash chain and checks the ballots against it.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Copy the live SQLite database to DEST, consistently, while the service runs.
    ///
    /// DEST must not exist. The copy holds every ballot committed before the backup began; it
    /// is created owner-only (0600) and holds the signing keys only encrypted under the secret
    /// file (--secret-file of serve). Keep a copy of the secret file, apart from the backups:
    /// a backup is restored with the secret file it was made under, and without it issued
    /// voting codes stop working. On PostgreSQL use pg_dump instead.
    Backup {
        /// The file to create, e.g. /var/backups/gongjue-2026-11-25.db
        dest: PathBuf,
        #[command(flatten)]
        db: database::DatabaseArgs,
    },
    /// Recount a tally bundle (format gongjue-tally/1) offline and print its result as JSON.
    ///
    /// Input errors are printed one per line on stderr as `JSON.PATH: message`; the exit
    /// status is then 2.
    Tally {
        /// The bundle file, or `-` for standard input.
        file: PathBuf,
        /// Add a `breakdown` member with the figures by building and by zone.
        #[arg(long)]
        breakdown: bool,
    },
    /// Check a signed export offline: signature and kid, digest, recount of every figure. Or,
    /// with `inclusion` / `consistency`, a transparency log proof (docs/transparency-log.md).
    #[command(args_conflicts_with_subcommands = true)]
    Verify {
        #[command(subcommand)]
        log: Option<verify_log::VerifyLog>,
        /// The bundle NAME.json.
        #[arg(required = true)]
        file: Option<PathBuf>,
        /// The signature [default: NAME.json.jws].
        #[arg(long)]
        jws: Option<PathBuf>,
        /// The public keys: a file, or an http(s) URL such as
        /// https://HOST/.well-known/jwks.json [default: jwks.json next to NAME.json].
        #[arg(long, value_name = "FILE_OR_URL")]
        jwks: Option<String>,
    },
    /// Witness an estate's transparency log: check that each checkpoint extends the last one
    /// this witness cosigned, and cosign it, or file a signed dissent with the evidence.
    Witness(Box<witness::WitnessArgs>),
    /// Print the SMS templates to register with the provider (Tencent Cloud SMS): one per kind
    /// of SMS, the catalogue's words with `{1}`, `{2}`, … for the parameters, then set each
    /// approved template's id in `[sms.templates]` (docs/operations.md).
    SmsTemplates {
        /// `zh-CN` or `en`.
        #[arg(long, default_value = "zh-CN")]
        lang: String,
    },
}

impl Cli {
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Tally { file, breakdown } => tally::run(&file, breakdown),
            Command::Serve(args) => serve::run(*args),
            Command::Admin(command) => admin::run(command),
            Command::Keys(command) => keys::run(command),
            Command::Audit(command) => audit::run(command),
            Command::Backup { dest, db } => backup::run(&dest, &db),
            Command::Verify { log: Some(log), .. } => verify_log::run(log),
            Command::Verify {
                file: Some(file),
                jws,
                jwks,
                ..
            } => verify::run(&file, jws, jwks),
            Command::Verify { file: None, .. } => ExitCode::from(2),
            Command::Witness(args) => witness::run(*args),
            Command::SmsTemplates { lang } => sms_templates(&lang),
        }
    }
}

/// `gongjue sms-templates`: each kind, its parameters, and the template's text.
fn sms_templates(lang: &str) -> ExitCode {
    let Some(lang) = crate::i18n::Lang::from_tag(lang) else {
        eprintln!("gongjue sms-templates: --lang is zh-CN or en, not `{lang}`");
        return ExitCode::from(2);
    };
    for kind in crate::sms::text::KINDS {
        let params = crate::sms::text::params_of(kind)
            .iter()
            .enumerate()
            .map(|(i, name)| format!("{{{}}}={name}", i + 1))
            .collect::<Vec<_>>()
            .join(" ");
        let text = crate::sms::text::template(kind, lang).unwrap_or_default();
        println!("[{kind}] {params}\n{text}\n");
    }
    ExitCode::SUCCESS
}
