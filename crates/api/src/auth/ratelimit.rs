//! Failed-attempt limits for voting codes and logins: at most `max` failures per key within a
//! sliding window. Keys are a client IP or an assembly, so that neither one client nor many
//! clients together can walk through the code space. In memory: a restart forgets, which only
//! helps an attacker by one window per restart.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct FailureLimiter {
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl FailureLimiter {
    pub fn new(window: Duration) -> FailureLimiter {
        FailureLimiter { window, failures: Mutex::new(HashMap::new()) }
    }

    /// Whether `key` already has `max` failures within the window.
    pub fn blocked(&self, key: &str, max: u32) -> bool {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(times) = map.get_mut(key) else { return false };
        while times.front().is_some_and(|t| now.duration_since(*t) > self.window) {
            times.pop_front();
        }
        times.len() >= usize::try_from(max).unwrap_or(usize::MAX)
    }

    pub fn record_failure(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Bound memory: forget keys whose failures all left the window.
        if map.len() > 100_000 {
            let now = Instant::now();
            map.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) <= self.window));
        }
        map.entry(key.to_owned()).or_default().push_back(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_per_key() {
        let limiter = FailureLimiter::new(Duration::from_secs(60));
        for _ in 0..3 {
            assert!(!limiter.blocked("ip:1", 3));
            limiter.record_failure("ip:1");
        }
        assert!(limiter.blocked("ip:1", 3));
        assert!(!limiter.blocked("ip:2", 3));
    }

    #[test]
    fn failures_leave_the_window() {
        let limiter = FailureLimiter::new(Duration::from_millis(10));
        limiter.record_failure("k");
        assert!(limiter.blocked("k", 1));
        std::thread::sleep(Duration::from_millis(20));
        assert!(!limiter.blocked("k", 1));
    }
}
