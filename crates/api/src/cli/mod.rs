//! Command-line interface: one sub-command per job.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod tally;

#[derive(Debug, Parser)]
#[command(name = "gongjue", version, about = "Gongjue (共决): owners' assemblies, elections and consultations")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
}

impl Cli {
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Tally { file, breakdown } => tally::run(&file, breakdown),
        }
    }
}
