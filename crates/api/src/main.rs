//! `gongjue`: the owners' assembly service and its command-line tools.

use std::process::ExitCode;

use clap::Parser;

/// glibc's malloc gives each of the many blocking threads an arena and keeps what they free; at
/// a mega-estate's tally and export that held several hundred MB. mimalloc gives it back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    gongjue_api::cli::Cli::parse().run()
}
