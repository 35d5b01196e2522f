//! `gongjue tally FILE`: the offline recount an auditor runs on an exported bundle.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use gongjue_domain::DomainError;
use gongjue_domain::breakdown::Breakdown;
use gongjue_domain::bundle;
use gongjue_domain::tally::TallyResult;
use serde::Serialize;

/// Exit status for input errors (a bundle that cannot be counted).
const INPUT_ERROR: u8 = 2;

#[derive(Serialize)]
struct WithBreakdown<'a> {
    #[serde(flatten)]
    result: &'a TallyResult,
    breakdown: Breakdown,
}

pub fn run(file: &Path, breakdown: bool) -> ExitCode {
    let bytes = match read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{}: cannot read: {e}", file.display());
            return ExitCode::from(INPUT_ERROR);
        }
    };
    let tally = match bundle::read(&bytes) {
        Ok(tally) => tally,
        Err(DomainError::InvalidBundle(errors)) => {
            for error in errors {
                eprintln!("{error}");
            }
            return ExitCode::from(INPUT_ERROR);
        }
        Err(other) => {
            eprintln!("{other}");
            return ExitCode::from(INPUT_ERROR);
        }
    };
    drop(bytes);
    let result = tally.result();
    let mut out = io::stdout().lock();
    let written = if breakdown {
        serde_json::to_writer_pretty(
            &mut out,
            &WithBreakdown {
                result: &result,
                breakdown: tally.breakdown(),
            },
        )
    } else {
        serde_json::to_writer_pretty(&mut out, &result)
    };
    match written
        .map_err(io::Error::from)
        .and_then(|()| writeln!(out))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write the result: {e}");
            ExitCode::FAILURE
        }
    }
}

fn read(file: &Path) -> io::Result<Vec<u8>> {
    if file == Path::new("-") {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(file)
    }
}
