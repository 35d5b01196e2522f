//! `gongjue admin`: bootstrap a fresh install from the command line (the API needs an admin
//! to exist before anyone can sign in), and erase contact data past its retention period.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use gongjue_store::Store;
use gongjue_store::users::Role;

use crate::auth::{caller, password};
use crate::cli::database::DatabaseArgs;
use crate::config;
use crate::i18n::Msg;
use crate::retention;

#[derive(Debug, Clone, Args)]
pub struct Database {
    /// The database, as for `gongjue serve`. [default: sqlite://./data/gongjue.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an estate; prints its id.
    CreateEstate {
        #[command(flatten)]
        db: Database,
        /// The estate's name, e.g. 湖畔花园.
        #[arg(long)]
        name: String,
        /// A trial estate, to practise the whole cycle in minutes: short notice and objection
        /// periods allowed, everything it produces marked 试用/TRIAL. Cannot be changed later.
        #[arg(long)]
        trial: bool,
        /// The notice (days) its rules of procedure require before voting on binding items.
        #[arg(long, default_value_t = gongjue_store::estates::DEFAULT_MIN_NOTICE_DAYS,
              value_parser = clap::value_parser!(i64).range(1..=365))]
        min_notice_days: i64,
        /// How many days past the original closing time its rules of procedure let voting be
        /// extended in all (e.g. 3 months: 90).
        #[arg(long, default_value_t = gongjue_store::estates::DEFAULT_MAX_EXTENSION_DAYS,
              value_parser = clap::value_parser!(i64).range(0..=365))]
        max_extension_days: i64,
    },
    /// Create a staff user with a role in an estate; prints a generated password unless
    /// --password-stdin is given.
    CreateUser {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        login: String,
        /// Shown to other staff; defaults to the login.
        #[arg(long)]
        display_name: Option<String>,
        /// secretary, auditor or admin (volunteers are created by a secretary, with their
        /// buildings).
        #[arg(long)]
        role: String,
        /// The estate id the role applies to.
        #[arg(long)]
        estate: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an existing user a role in an estate.
    GrantRole {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        login: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        estate: String,
    },
    /// Take a role in an estate from a user; the user's sessions end at once.
    RevokeRole {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        login: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        estate: String,
    },
    /// Disable a user: no more sign-ins, and the user's sessions end at once.
    DisableUser {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        login: String,
    },
    /// Set a new password; prints a generated one unless --password-stdin is given. The
    /// user's sessions end at once.
    ResetPassword {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        login: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Erase owners' contact data past its retention period now, as `gongjue serve` does
    /// once an hour: contacts and handled outbox messages of each estate that has not needed
    /// them for that long, and old `.eml` files of the file transport. Prints what it erased.
    PurgeContacts {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Only this estate (the `.eml` files, which name no estate, are then left alone).
        #[arg(long)]
        estate: Option<String>,
        /// Report what would be erased, erase nothing.
        #[arg(long)]
        dry_run: bool,
        /// Days, as for `gongjue serve`. [default: the TOML file's [privacy]
        /// contact_retention_days, else 365]
        #[arg(long, env = "GONGJUE_CONTACT_RETENTION_DAYS", value_name = "DAYS")]
        contact_retention_days: Option<u32>,
        /// The file transport's directory. [default: the TOML file's [mail] dir when the
        /// transport is `file`, else ./data/outbox/]
        #[arg(long, env = "GONGJUE_MAIL_DIR", value_name = "DIR")]
        mail_dir: Option<PathBuf>,
    },
}

const ACTOR: &str = "cli:admin";

fn open(db: &Database) -> Result<Store, String> {
    let url = db
        .database_url
        .clone()
        .unwrap_or_else(|| config::DEFAULT_DATABASE_URL.into());
    let narrowed = config::prepare_sqlite_dir(&url).map_err(|e| e.to_string())?;
    crate::cli::database::say_narrowed(&narrowed, crate::i18n::Lang::for_cli(None));
    Store::open_for_tool(&url).map_err(|e| e.to_string())
}

fn role(text: &str) -> Result<Role, String> {
    match caller::parse_role(text) {
        // A volunteer is created with their buildings, by a secretary.
        Some(Role::Volunteer) => Err(
            "a volunteer is created by a secretary with their buildings (staff page, or POST /api/v1/estates/{id}/volunteers)".into(),
        ),
        Some(role) => Ok(role),
        None => Err(format!("unknown role {text:?}: secretary, auditor or admin")),
    }
}

/// The password from stdin, or a generated one that is printed.
fn new_password(from_stdin: bool) -> Result<(String, bool), String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
    } else {
        let generated = crate::auth::codes::generate().map_err(|e| e.to_string())?;
        Ok((
            format!(
                "{generated}-{}",
                crate::auth::codes::generate().map_err(|e| e.to_string())?
            ),
            true,
        ))
    }
}

fn execute(command: AdminCommand) -> Result<(), String> {
    match command {
        AdminCommand::CreateEstate {
            db,
            name,
            trial,
            min_notice_days,
            max_extension_days,
        } => {
            let new = gongjue_store::estates::NewEstate {
                name,
                trial,
                min_notice_days,
                max_extension_days,
            };
            let estate = open(&db)?
                .create_estate_with(&new, ACTOR)
                .map_err(|e| e.to_string())?;
            if estate.trial {
                // On stderr, so that `ESTATE=$(gongjue admin create-estate …)` still gets the id.
                eprintln!(
                    "{}",
                    crate::i18n::Msg::TrialBanner.text(crate::i18n::Lang::for_cli(None))
                );
            }
            println!("{}", estate.id);
        }
        AdminCommand::CreateUser {
            db,
            login,
            display_name,
            role: role_name,
            estate,
            password_stdin,
        } => {
            let role = role(&role_name)?;
            let store = open(&db)?;
            store.estate(&estate).map_err(|e| e.to_string())?;
            let (password, generated) = new_password(password_stdin)?;
            let hash = password::hash(&password).map_err(|e| e.to_string())?;
            let user = store
                .create_user(&login, display_name.as_deref().unwrap_or(&login), &hash)
                .map_err(|e| e.to_string())?;
            store
                .grant_role(&user.id, &estate, role, ACTOR)
                .map_err(|e| e.to_string())?;
            println!("{}", user.id);
            if generated {
                println!("password: {password}");
            }
        }
        AdminCommand::GrantRole {
            db,
            login,
            role: role_name,
            estate,
        } => {
            let role = role(&role_name)?;
            let store = open(&db)?;
            let user = store.user_by_login(&login).map_err(|e| e.to_string())?;
            store
                .grant_role(&user.id, &estate, role, ACTOR)
                .map_err(|e| e.to_string())?;
        }
        AdminCommand::RevokeRole {
            db,
            login,
            role: role_name,
            estate,
        } => {
            let role = role(&role_name)?;
            let store = open(&db)?;
            let user = store.user_by_login(&login).map_err(|e| e.to_string())?;
            store
                .revoke_role(&user.id, &estate, role, ACTOR)
                .map_err(|e| e.to_string())?;
        }
        AdminCommand::DisableUser { db, login } => {
            let store = open(&db)?;
            let user = store.user_by_login(&login).map_err(|e| e.to_string())?;
            store
                .disable_user(&user.id, ACTOR)
                .map_err(|e| e.to_string())?;
        }
        AdminCommand::ResetPassword {
            db,
            login,
            password_stdin,
        } => {
            let store = open(&db)?;
            let (password, generated) = new_password(password_stdin)?;
            let hash = password::hash(&password).map_err(|e| e.to_string())?;
            let user = store.user_by_login(&login).map_err(|e| e.to_string())?;
            store
                .set_password_hash(&user.id, &hash, ACTOR)
                .map_err(|e| e.to_string())?;
            if generated {
                println!("password: {password}");
            }
        }
        AdminCommand::PurgeContacts {
            db,
            estate,
            dry_run,
            contact_retention_days,
            mail_dir,
        } => {
            purge_contacts(
                &db,
                estate.as_deref(),
                dry_run,
                contact_retention_days,
                mail_dir,
            )?;
        }
    }
    Ok(())
}

fn purge_contacts(
    db: &DatabaseArgs,
    estate: Option<&str>,
    dry_run: bool,
    days: Option<u32>,
    mail_dir: Option<PathBuf>,
) -> Result<(), String> {
    let lang = db.lang();
    let (days, mail_dir) =
        config::retention(db.config.as_deref(), days, mail_dir).map_err(|e| e.to_string())?;
    if days == 0 {
        println!("{}", Msg::PrivacyKeptUntilNextRoster.text(lang));
        return Ok(());
    }
    let store = db.open()?;
    if let Some(id) = estate {
        store
            .estate(id)
            .map_err(|e| format!("{}: {id} ({e})", Msg::CliNoEstate.text(lang)))?;
    }
    let scope = retention::Scope {
        days,
        mail_dir: mail_dir.as_deref(),
        estate,
        dry_run,
        actor: ACTOR,
    };
    let outcome =
        retention::apply(&store, &scope, chrono::Utc::now()).map_err(|e| e.to_string())?;
    let done = if dry_run {
        Msg::PrivacyDryRun
    } else {
        Msg::PrivacyErased
    }
    .text(lang);
    for e in &outcome.estates {
        println!(
            "{}: {done}: {} {}, {} {} ({} {})",
            e.estate_id,
            Msg::PrivacyContacts.text(lang),
            e.contacts,
            Msg::PrivacyMessages.text(lang),
            e.messages,
            Msg::PrivacyNeededUntil.text(lang),
            e.needed_until
        );
    }
    if outcome.mail_files > 0 {
        println!(
            "{done}: {} {}",
            Msg::PrivacyMailFiles.text(lang),
            outcome.mail_files
        );
    }
    if outcome.estates.is_empty() && outcome.mail_files == 0 {
        println!("{}", Msg::PrivacyNothingDue.text(lang));
    }
    Ok(())
}

pub fn run(command: AdminCommand) -> ExitCode {
    match execute(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongjue admin: {e}");
            ExitCode::FAILURE
        }
    }
}
