//! The live tokens a server has already looked up, held with the movement's state so that a
//! request authenticates without reading the database. The table is a cache of the
//! `api_tokens` rows, and every change to a token is an entry of the audit chain
//! (`token_log`): applying such an entry, on the server that wrote it or on any other one
//! catching up, empties the table before the state moves past it. Reads check the head before
//! they look (ADR 0007), so a request that begins after a revocation returned, on any server,
//! finds the table emptied. Expiry and membership are checked on every use, never cached.

use governance_core::{Instant, MemberId};
use std::collections::HashMap;
use std::sync::Mutex;

/// How many tokens one movement's table holds; past it, a token is looked up every time (as
/// with no table), so that no one can grow a server's memory by presenting many tokens.
pub const MAX_TOKENS: usize = 4_096;

/// What a live token grants, as its row said when it was looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachedToken {
    pub member: MemberId,
    pub read_only: bool,
    pub expires_at: Option<Instant>,
}

impl CachedToken {
    /// Whether the token is still within its expiry at `now`.
    pub fn unexpired(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|e| e > now)
    }
}

/// A movement's table of looked-up live tokens, by the SHA-256 of the token.
#[derive(Debug, Default)]
pub struct TokenTable {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Bumped whenever the table is emptied: a lookup that began before cannot fill it.
    generation: u64,
    live: HashMap<[u8; 32], CachedToken>,
}

impl TokenTable {
    /// The token with this digest, if it was looked up live since the last change to tokens.
    pub fn get(&self, digest: &[u8; 32]) -> Option<CachedToken> {
        self.lock().live.get(digest).copied()
    }

    /// Where the table stands before a lookup in the database; `fill` takes it back.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Keeps a token found live by a lookup that began at `generation`. A token entry applied
    /// since (a revocation the lookup may have missed) makes it forget the answer instead.
    pub fn fill(&self, generation: u64, digest: [u8; 32], token: CachedToken) {
        let mut inner = self.lock();
        if inner.generation == generation && inner.live.len() < MAX_TOKENS {
            inner.live.insert(digest, token);
        }
    }

    /// Forgets every token: a token was created, revoked or expired. Tokens change seldom, so
    /// emptying the whole table costs a lookup per token afterwards, and needs no index from
    /// a token's id (what the entries name) to its digest.
    pub fn forget_all(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.live.clear();
    }

    /// How many tokens the table holds.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().live.len()
    }

    /// Whether the table holds no token.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The table holds plain data and every change leaves it whole: a panic elsewhere while
        // the lock was held cannot have left it half-changed.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> CachedToken {
        CachedToken {
            member: MemberId::from_uuid(uuid::Uuid::nil()),
            read_only: false,
            expires_at: None,
        }
    }

    #[test]
    fn a_lookup_that_began_before_a_change_does_not_fill_the_table() {
        let table = TokenTable::default();
        let before = table.generation();
        table.forget_all();
        table.fill(before, [1; 32], token());
        assert_eq!(table.get(&[1; 32]), None);
        table.fill(table.generation(), [1; 32], token());
        assert_eq!(table.get(&[1; 32]), Some(token()));
        table.forget_all();
        assert!(table.is_empty());
    }

    #[test]
    fn the_table_stops_growing_at_its_bound() {
        let table = TokenTable::default();
        for i in 0..(MAX_TOKENS + 10) {
            let mut digest = [0u8; 32];
            digest[..8].copy_from_slice(&(i as u64).to_le_bytes());
            table.fill(table.generation(), digest, token());
        }
        assert_eq!(table.len(), MAX_TOKENS);
    }
}
