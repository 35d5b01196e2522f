//! `gongjue audit verify [--estate ID]`: walks each estate's audit hash chain and checks every
//! ballot row against the receipt its audit entry recorded. Exit 0 when all holds, 1 naming
//! the first broken link and every ballot that differs, 2 when the check cannot run.

use std::process::ExitCode;

use clap::Subcommand;
use gongjue_store::Store;

use crate::cli::database::DatabaseArgs;
use crate::i18n::{Lang, Msg};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Checks the hash chain and the ballots of one estate, or of every estate.
    Verify {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Only this estate [default: every estate].
        #[arg(long)]
        estate: Option<String>,
    },
}

/// Prints the estate's report; true when everything holds.
fn verify_estate(store: &Store, estate: &str, lang: Lang) -> Result<bool, String> {
    let chain = store
        .verify_audit_chain(estate)
        .map_err(|e| e.to_string())?;
    let ballots = store.verify_ballots(estate).map_err(|e| e.to_string())?;
    let records = store.verify_records(estate).map_err(|e| e.to_string())?;
    let entries = Msg::CliEntries.text(lang);
    match &chain.first_broken {
        None => println!(
            "{estate}: {}, {} {entries}, head {}",
            Msg::CliChainIntact.text(lang),
            chain.verified_entries,
            chain.head_hash
        ),
        Some(link) => eprintln!(
            "{estate}: {}: {} {}: {}",
            Msg::CliChainBroken.text(lang),
            Msg::CliEntry.text(lang),
            link.seq,
            link.reason
        ),
    }
    if ballots.is_empty() {
        println!("{estate}: {}", Msg::CliBallotsMatch.text(lang));
    }
    for mismatch in &ballots {
        eprintln!(
            "{estate}: {}: {}: {}",
            Msg::CliBallotMismatch.text(lang),
            mismatch.ballot,
            mismatch.problem
        );
    }
    if records.is_empty() {
        println!("{estate}: {}", Msg::CliRecordsMatch.text(lang));
    }
    for mismatch in &records {
        eprintln!(
            "{estate}: {}: {}: {}",
            Msg::CliRecordMismatch.text(lang),
            mismatch.subject,
            mismatch.problem
        );
    }
    Ok(chain.first_broken.is_none() && ballots.is_empty() && records.is_empty())
}

fn execute(command: AuditCommand) -> Result<bool, String> {
    match command {
        AuditCommand::Verify { db, estate } => {
            let lang = db.lang();
            let store = db.open()?;
            let estates = match estate {
                Some(id) => {
                    store
                        .estate(&id)
                        .map_err(|e| format!("{}: {id} ({e})", Msg::CliNoEstate.text(lang)))?;
                    vec![id]
                }
                None => store
                    .estates()
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .map(|e| e.id)
                    .collect(),
            };
            let mut all_hold = true;
            for estate in estates {
                all_hold &= verify_estate(&store, &estate, lang)?;
            }
            Ok(all_hold)
        }
    }
}

pub fn run(command: AuditCommand) -> ExitCode {
    match execute(command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("gongjue audit: {e}");
            ExitCode::from(2)
        }
    }
}
