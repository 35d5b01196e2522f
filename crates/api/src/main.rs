//! `gongjue`: the owners' assembly service and its command-line tools.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    owner_only_files();
    bound_malloc_arenas();
    gongjue_api::cli::Cli::parse().run()
}

/// Issue 17: every file and folder this process creates is its owner's alone (umask 077). The
/// service creates its own files with explicit modes (0600, folders 0700; see
/// `gongjue_store::files`), but SQLite creates the database's `-wal`, `-shm` and journal files
/// itself, and `VACUUM INTO` its copy: the umask covers those too, and anything a library may
/// write. (A JWKS written with `gongjue keys export --out` is then 0600 as well: it holds only
/// public keys, so publish it with the mode you need.)
fn owner_only_files() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// glibc's malloc gives each thread that allocates concurrently an arena of its own (up to eight
/// per core) and keeps what is freed there; with the server's many blocking threads that held
/// several hundred MB after a mega-estate's intake, tally and export. Two arenas keep threads
/// from queueing on one lock and the memory bounded. glibc reads the limit from the environment
/// when the process starts, so the binary starts itself again with it (same process id), unless
/// it is already set (an operator's own value wins). mimalloc was tried as global allocator: its
/// per-thread heaps held 557 MB during a 20,000-unit intake.
///
/// With it, blocks of 1 MiB and more (a tally's vectors, a bundle, a large response) are always
/// mapped on their own and unmapped when freed: glibc otherwise raises that threshold to the
/// largest block freed so far, and then serves the next 30 MB bundle from the heap, where what
/// it leaves when freed sits among live blocks until a trim (issue 22).
fn bound_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    const MMAP_THRESHOLD: &str = "1048576";
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none()
        && let Ok(me) = std::env::current_exe()
    {
        use std::os::unix::process::CommandExt;
        // `exec` returns only if it failed; then the process goes on with glibc's defaults.
        let _ = std::process::Command::new(me)
            .args(std::env::args_os().skip(1))
            .env("MALLOC_ARENA_MAX", "2")
            .env("MALLOC_MMAP_THRESHOLD_", MMAP_THRESHOLD)
            .exec();
    }
}
