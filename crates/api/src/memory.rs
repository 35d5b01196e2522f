//! Gives back to the system the memory that a large request freed. glibc's malloc keeps freed
//! memory in its arenas for reuse, scattered among live allocations where it cannot shrink
//! the heap; after a roster import, an announcement or a final publication of a
//! 100,000-unit estate the server kept several hundred MB it no longer used, and each later
//! step's peak came on top of it (issue 22). `malloc_trim` returns the free pages of every
//! arena (`madvise`), whatever their place.

use std::time::Duration;

use tokio::sync::Notify;

/// Free memory held by malloc above which it is given back.
const KEEP_FREE: usize = 32 * 1024 * 1024;

/// Work on the blocking pool that took this long (a roster import, issuing codes, a tally, a
/// publication) has likely freed a lot: the trim looks at once, before the next such step
/// starts on top of what this one left.
const SLOW: Duration = Duration::from_millis(200);

static SLOW_WORK_DONE: Notify = Notify::const_new();

/// Tells [`release_freed`] that a piece of work took `took`.
pub fn work_done(took: Duration) {
    if took >= SLOW {
        SLOW_WORK_DONE.notify_one();
    }
}

/// Every `every`, and after slow work, gives the free memory malloc holds back to the system
/// if it exceeds [`KEEP_FREE`]; until the task is dropped. A no-op off glibc.
pub async fn release_freed(every: Duration) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = SLOW_WORK_DONE.notified() => {}
        }
        // A trim of a few hundred MB takes milliseconds: off the request threads.
        let _ = tokio::task::spawn_blocking(trim_if_worth_it).await;
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)] // the only unsafe code of the workspace: two glibc calls, no pointers
fn trim_if_worth_it() {
    // SAFETY: both are thread-safe glibc calls without arguments that point anywhere.
    let free = unsafe { libc::mallinfo2() }.fordblks;
    if free > KEEP_FREE {
        // SAFETY: as above; 0 keeps no extra padding at the top of the heap.
        unsafe { libc::malloc_trim(0) };
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim_if_worth_it() {}
