//! `gongjue`: the owners' assembly service and its command-line tools.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    cli::Cli::parse().run()
}
