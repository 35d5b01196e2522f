//! `gongjue`: the owners' assembly service and its command-line tools.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    gongjue_api::cli::Cli::parse().run()
}
