//! Which movements this server holds in memory. A movement's state is loaded on first use and
//! may be evicted again when it has been idle, or when the states held exceed the memory bound
//! the operator set, least recently used first. A state is only a cache of the log: evicting it
//! loses nothing, and the next request replays it. A movement with live subscribers is never
//! evicted, since its channel is what they listen to.

use super::notice::Channel;
use super::{OrgState, Shared, Store, StoreError, catch_up, organizations};
use governance_core::{Organization, OrganizationId};
use sea_orm::EntityTrait;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// What one resident state is reckoned to weigh: a fixed part, and a part per entry of its log.
/// Measured on a thousand small movements (see `docs/benchmarks.md`, "memory per movement"):
/// about 17 800 bytes of state each, and 707–752 bytes per decision entry; the notice channel
/// (about 48 KB more) is opened only by a first subscriber, and such a movement is never
/// evicted. Both figures are rounded up: the bound is an estimate, not an allocator's count.
/// Since the search index (ADR 0008), a decision also weighs its postings and its terms: 792
/// bytes per record in `benches/search.rs` (records of about 60 words), counted here as 768 more
/// per entry; `benches/servers.rs` has not been re-run since to measure the whole again.
pub const BYTES_PER_MOVEMENT: u64 = 20 * 1024;
pub const BYTES_PER_ENTRY: u64 = 1024 + 768;

/// How many states the server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Residency {
    /// Evict, least recently used first, while the states held are reckoned to weigh more.
    pub max_bytes: Option<u64>,
    /// Evict a state not used for this long.
    pub idle_after: Option<Duration>,
}

/// The movements held in memory. Requests find theirs under a lock held for a map lookup, never
/// across an await; loading one (a replay, which reads the database) is serialised apart, so
/// that requests for movements already held never wait behind it.
#[derive(Debug, Default)]
pub(crate) struct ResidentMap {
    held: std::sync::Mutex<HashMap<OrganizationId, Arc<Resident>>>,
    /// Taken to load or found a movement: one at a time, so that none is replayed twice.
    pub(crate) loading: tokio::sync::Mutex<()>,
}

impl ResidentMap {
    /// The map, for a lookup or a change that does not await.
    pub(crate) fn held(&self) -> std::sync::MutexGuard<'_, HashMap<OrganizationId, Arc<Resident>>> {
        // Every change under this lock leaves the map whole.
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn find(&self, org: OrganizationId) -> Option<Arc<Resident>> {
        let found = self.held().get(&org).cloned();
        if let Some(r) = &found {
            r.touch();
        }
        found
    }
}

/// One movement held in memory.
#[derive(Debug)]
pub(crate) struct Resident {
    pub(crate) state: Arc<RwLock<OrgState>>,
    /// A copy of the state's channel, to count its subscribers without taking the lock.
    pub(crate) notices: Channel,
    /// The head reads its requests share (ADR 0007, see `head`).
    pub(crate) head: Arc<super::head::HeadGate>,
    /// Its writes waiting to be committed together (see `batch`).
    pub(crate) writes: super::batch::WriteQueue,
    /// Milliseconds since `epoch` at the last use.
    last_used: AtomicU64,
    /// The log entries the state holds, for the memory reckoning.
    entries: AtomicU64,
    epoch: Instant,
}

impl Resident {
    pub(crate) fn new(state: OrgState, epoch: Instant) -> Self {
        let notices = state.notices.channel().clone();
        let entries = state.revision.max(0) as u64;
        let r = Self {
            state: Arc::new(RwLock::new(state)),
            notices,
            head: Arc::default(),
            writes: Default::default(),
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

    /// Whether nothing holds on to it: no subscriber, no request in the middle of using it
    /// (`copies` is how many handles to it the eviction itself holds: the map's and its list's).
    fn unheld(self: &Arc<Self>, copies: usize) -> bool {
        self.notices.listeners() == 0
            && Arc::strong_count(&self.state) == 1
            && Arc::strong_count(self) <= copies
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
        // A request that took the resident (to subscribe, to read) and has not yet taken its
        // state or its channel holds a handle to it: evicting it then would leave the request
        // on a channel no write reaches any more.
        .filter(|(k, r)| Some(*k) != keep && r.unheld(2))
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

impl Store {
    /// A movement held in memory, loaded and replayed on first use; loading one may evict
    /// others (see `resident`).
    pub(super) async fn resident(&self, org: OrganizationId) -> Result<Arc<Resident>, StoreError> {
        if let Some(r) = self.states.find(org) {
            return Ok(r);
        }
        let _loading = self.states.loading.lock().await;
        // Another request may have loaded it while this one waited.
        if let Some(r) = self.states.find(org) {
            return Ok(r);
        }
        let row = organizations::Entity::find_by_id(org.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::UnknownOrganization(org))?;
        let organization = Organization {
            id: org,
            name: governance_core::Label::from_stored(&row.name),
        };
        let mut state = OrgState::empty(organization);
        catch_up(&self.db, org, &mut state).await?;
        let resident = Arc::new(Resident::new(state, self.epoch));
        self.admit(&mut self.states.held(), org, resident.clone());
        Ok(resident)
    }

    /// Holds a movement's state, evicting others if the residency asks for it.
    pub(super) fn admit(
        &self,
        states: &mut HashMap<OrganizationId, Arc<Resident>>,
        org: OrganizationId,
        resident: Arc<Resident>,
    ) {
        states.insert(org, resident);
        if self.residency != Residency::default() {
            let held: Vec<_> = states.iter().map(|(k, r)| (*k, r.clone())).collect();
            for gone in to_evict(&held, self.residency, Some(org)) {
                states.remove(&gone);
            }
        }
    }

    pub(super) async fn shared(&self, org: OrganizationId) -> Result<Shared, StoreError> {
        Ok(self.resident(org).await?.state.clone())
    }

    /// Evicts the states idle for longer than the residency allows; the watcher calls it.
    pub(crate) async fn evict_idle(&self) {
        if self.residency == Residency::default() {
            return;
        }
        let mut states = self.states.held();
        let held: Vec<_> = states.iter().map(|(k, r)| (*k, r.clone())).collect();
        for gone in to_evict(&held, self.residency, None) {
            states.remove(&gone);
        }
    }

    /// The movements held in memory now (for tests, `/health` and the benchmarks).
    pub async fn resident_count(&self) -> usize {
        self.states.held().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governance_core::Label;

    fn resident(epoch: Instant, entries: i64) -> Arc<Resident> {
        let mut state = OrgState::empty(Organization {
            id: OrganizationId::from_u128(1),
            name: Label::from_stored("Collectif"),
        });
        state.revision = entries;
        Arc::new(Resident::new(state, epoch))
    }

    /// Past the memory bound, the least recently used go first, and only as many as needed.
    #[test]
    fn eviction_takes_the_least_recently_used_until_under_the_bound() {
        let epoch = Instant::now() - Duration::from_secs(100);
        let held: Vec<(u8, Arc<Resident>)> = (0..4).map(|k| (k, resident(epoch, 0))).collect();
        for (k, r) in &held {
            r.last_used.store(u64::from(*k) * 1_000, Ordering::Relaxed);
        }
        let limits = Residency {
            max_bytes: Some(2 * BYTES_PER_MOVEMENT),
            idle_after: None,
        };
        assert_eq!(to_evict(&held, limits, None), vec![0, 1]);
        // The one just loaded stays, whatever its age.
        assert_eq!(to_evict(&held, limits, Some(0)), vec![1, 2]);
    }

    /// A movement with a subscriber, or one a request is using, stays in memory.
    #[test]
    fn eviction_spares_what_is_held() {
        let epoch = Instant::now() - Duration::from_secs(100);
        let held: Vec<(u8, Arc<Resident>)> = (0..3).map(|k| (k, resident(epoch, 0))).collect();
        // The store's map holds each one too.
        let _map = held.clone();
        let limits = Residency {
            max_bytes: Some(0),
            idle_after: Some(Duration::ZERO),
        };
        let _listening = held[0].1.notices.subscribe();
        let _reading = held[1].1.state.clone();
        let _about_to_subscribe = held[2].1.clone();
        assert!(to_evict(&held, limits, None).is_empty());
        drop(_about_to_subscribe);
        assert_eq!(to_evict(&held, limits, None), vec![2]);
    }
}
