//! Which movements this server holds in memory. A movement's state is loaded on first use and
//! may be evicted again when it has been idle, or when the states held exceed the memory bound
//! the operator set, least recently used first. A state is only a cache of the log: evicting it
//! loses nothing, and the next request replays it. A movement with live subscribers is never
//! evicted, since its channel is what they listen to.

use super::OrgState;
use super::notice::Notice;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{RwLock, broadcast};

/// What one resident state is reckoned to weigh: a fixed part, and a part per entry of its log.
/// Measured on a thousand small movements (see `docs/benchmarks.md`, "memory per movement"):
/// about 67 000 bytes each, of which 49 000 are the notice channel, allocated whole (1 024
/// slots) whether or not anyone subscribes; about 750 bytes per decision. The bound is an
/// estimate, not an allocator's count.
pub const BYTES_PER_MOVEMENT: u64 = 66 * 1024;
pub const BYTES_PER_ENTRY: u64 = 1024;

/// How many states the server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Residency {
    /// Evict, least recently used first, while the states held are reckoned to weigh more.
    pub max_bytes: Option<u64>,
    /// Evict a state not used for this long.
    pub idle_after: Option<Duration>,
}

/// One movement held in memory.
#[derive(Debug)]
pub(crate) struct Resident {
    pub(crate) state: Arc<RwLock<OrgState>>,
    /// A copy of the state's channel, to count its subscribers without taking the lock.
    pub(crate) notices: broadcast::Sender<Notice>,
    /// Milliseconds since `epoch` at the last use.
    last_used: AtomicU64,
    /// The log entries the state holds, for the memory reckoning.
    entries: AtomicU64,
    epoch: Instant,
}

impl Resident {
    pub(crate) fn new(state: OrgState, epoch: Instant) -> Self {
        let notices = state.notices.sender().clone();
        let entries = state.revision.max(0) as u64;
        let r = Self {
            state: Arc::new(RwLock::new(state)),
            notices,
            last_used: AtomicU64::new(0),
            entries: AtomicU64::new(entries),
            epoch,
        };
        r.touch();
        r
    }

    pub(crate) fn touch(&self) {
        let ms = self.epoch.elapsed().as_millis() as u64;
        self.last_used.store(ms, Ordering::Relaxed);
    }

    /// Records how many entries the state holds after it moved.
    pub(crate) fn weigh(&self, revision: i64) {
        self.entries
            .store(revision.max(0) as u64, Ordering::Relaxed);
    }

    pub(crate) fn bytes(&self) -> u64 {
        BYTES_PER_MOVEMENT + self.entries.load(Ordering::Relaxed) * BYTES_PER_ENTRY
    }

    fn idle_for(&self) -> Duration {
        let now = self.epoch.elapsed().as_millis() as u64;
        Duration::from_millis(now.saturating_sub(self.last_used.load(Ordering::Relaxed)))
    }

    /// Whether nothing holds on to it: no subscriber, no request in the middle of using it.
    fn unheld(&self) -> bool {
        self.notices.receiver_count() == 0 && Arc::strong_count(&self.state) == 1
    }
}

/// The movements to evict from `held` under `limits`, keeping `keep` (the one just loaded).
pub(crate) fn to_evict<K: Copy + Eq>(
    held: &[(K, Arc<Resident>)],
    limits: Residency,
    keep: Option<K>,
) -> Vec<K> {
    let mut out = Vec::new();
    let mut candidates: Vec<&(K, Arc<Resident>)> = held
        .iter()
        .filter(|(k, r)| Some(*k) != keep && r.unheld())
        .collect();
    if let Some(idle) = limits.idle_after {
        for (k, r) in &candidates {
            if r.idle_for() >= idle {
                out.push(*k);
            }
        }
    }
    if let Some(max) = limits.max_bytes {
        let mut total: u64 = held
            .iter()
            .filter(|(k, _)| !out.contains(k))
            .map(|(_, r)| r.bytes())
            .sum();
        // Least recently used first.
        candidates.sort_by_key(|(_, r)| std::cmp::Reverse(r.idle_for()));
        for (k, r) in candidates {
            if total <= max {
                break;
            }
            if !out.contains(k) {
                total -= r.bytes();
                out.push(*k);
            }
        }
    }
    out
}
