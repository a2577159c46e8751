//! The tamper-evident hash chains. Each entry's hash is SHA-256 over the previous entry's hash
//! and the entry's canonical bytes, so changing, removing, swapping or inserting an entry breaks
//! every link after it; truncating the tail is caught against an exported chain head.

use sha2::{Digest, Sha256};

/// The hash of an entry: `sha256(prev_hash_hex || "\n" || payload)`, in lower-case hex. The first
/// entry of a movement has no previous hash and hashes `"\n" || payload`.
pub fn link_hash(prev: Option<&str>, payload: &str) -> String {
    hex::encode(digest(prev, payload))
}

/// Whether `hash` is the link hash of `prev` and `payload` ([`link_hash`]), compared without
/// building a string: `verify` asks it of every entry.
pub fn link_hash_is(prev: Option<&str>, payload: &str, hash: &str) -> bool {
    let mut hex = [0u8; 64];
    hex::encode_to_slice(digest(prev, payload), &mut hex).is_ok() && hex == hash.as_bytes()
}

fn digest(prev: Option<&str>, payload: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev.unwrap_or("").as_bytes());
    h.update(b"\n");
    h.update(payload.as_bytes());
    h.finalize().into()
}

/// Which chain an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainName {
    /// Every event, numbered by revision.
    Audit,
    /// Decision records, numbered by sequence.
    Decisions,
}

/// What is wrong at the first broken link.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Break {
    /// The entry's content no longer hashes to its stored hash, or its columns no longer match
    /// the content that was hashed.
    Modified,
    /// A position is missing: an entry was deleted.
    Missing,
    /// The entry does not follow the one before it: entries were swapped or one was inserted.
    Unlinked,
    /// The chain is shorter than the exported head says: its tail was truncated.
    Truncated,
    /// The entry at the exported head's position is not the one exported.
    Diverged,
}

/// The first broken link found, if any.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BrokenLink {
    pub chain: ChainName,
    /// The revision (audit chain) or sequence number (decision chain) where the break is.
    pub position: i64,
    pub problem: Break,
}

/// Walks a chain entry by entry, so that a long chain is verified page by page.
#[derive(Debug)]
pub struct Walker {
    chain: ChainName,
    prev: Option<String>,
    next: i64,
    broken: Option<BrokenLink>,
}

impl Walker {
    /// A walker that starts at `position`, trusting `prev` as the hash before it: position 1
    /// and no hash for a whole chain, or a later position to check the tail of a long chain
    /// without reading all of it.
    pub fn resume(chain: ChainName, position: i64, prev: Option<String>) -> Self {
        Self {
            chain,
            prev,
            next: position,
            broken: None,
        }
    }

    /// Checks the next entry, whose content was checked apart (`content_ok`: its hash is the
    /// hash of its stored previous hash and payload, and its columns agree with the payload), so
    /// that `verify` checks contents in parallel and links in order. Returns false once a break
    /// is found (later entries are moot).
    pub fn push_checked(
        &mut self,
        position: i64,
        prev_hash: Option<&str>,
        hash: &str,
        content_ok: bool,
    ) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let problem = if position != self.next {
            Some(if position > self.next {
                Break::Missing
            } else {
                Break::Unlinked
            })
        } else if !content_ok {
            Some(Break::Modified)
        } else if prev_hash != self.prev.as_deref() {
            Some(Break::Unlinked)
        } else {
            None
        };
        if let Some(problem) = problem {
            self.broken = Some(BrokenLink {
                chain: self.chain,
                position: self.next,
                problem,
            });
            return false;
        }
        self.prev = Some(hash.to_owned());
        self.next += 1;
        true
    }

    /// How many entries were walked without a break.
    pub fn length(&self) -> i64 {
        self.next - 1
    }

    /// The hash of the last good entry.
    pub fn head(&self) -> Option<&str> {
        self.prev.as_deref()
    }

    pub fn finish(self) -> Option<BrokenLink> {
        self.broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One stored entry, as the tests build it.
    #[derive(Debug, Clone)]
    struct StoredLink {
        position: i64,
        prev_hash: Option<String>,
        hash: String,
        payload: String,
    }

    /// Walks a whole chain in position order, each entry's content checked as `verify` does.
    fn walk(chain: ChainName, links: &[StoredLink]) -> Option<BrokenLink> {
        let mut walker = Walker::resume(chain, 1, None);
        for l in links {
            let content_ok = link_hash(l.prev_hash.as_deref(), &l.payload) == l.hash;
            if !walker.push_checked(l.position, l.prev_hash.as_deref(), &l.hash, content_ok) {
                break;
            }
        }
        walker.finish()
    }

    fn chain(payloads: &[&str]) -> Vec<StoredLink> {
        let mut prev: Option<String> = None;
        payloads
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let hash = link_hash(prev.as_deref(), p);
                let link = StoredLink {
                    position: i as i64 + 1,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                    payload: (*p).to_owned(),
                };
                prev = Some(hash);
                link
            })
            .collect()
    }

    fn broken(links: &[StoredLink]) -> Option<(i64, Break)> {
        walk(ChainName::Audit, links).map(|b| (b.position, b.problem))
    }

    #[test]
    fn link_hash_is_agrees_with_link_hash() {
        let h = link_hash(Some("ab"), "payload");
        assert!(link_hash_is(Some("ab"), "payload", &h));
        assert!(!link_hash_is(None, "payload", &h));
        assert!(!link_hash_is(Some("ab"), "payload", &h.to_uppercase()));
        assert!(!link_hash_is(Some("ab"), "payload", &h[..63]));
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(broken(&chain(&["a", "b", "c"])), None);
    }

    #[test]
    fn a_modified_payload_is_found_at_its_position() {
        let mut links = chain(&["a", "b", "c"]);
        links[1].payload = "B".into();
        assert_eq!(broken(&links), Some((2, Break::Modified)));
    }

    #[test]
    fn a_deleted_entry_is_found() {
        let mut links = chain(&["a", "b", "c"]);
        links.remove(1);
        assert_eq!(broken(&links), Some((2, Break::Missing)));
    }

    #[test]
    fn swapped_entries_are_found() {
        let mut links = chain(&["a", "b", "c"]);
        links.swap(1, 2);
        links[1].position = 2;
        links[2].position = 3;
        assert_eq!(broken(&links), Some((2, Break::Unlinked)));
    }

    #[test]
    fn an_inserted_entry_is_found() {
        let mut links = chain(&["a", "b", "c"]);
        let forged = StoredLink {
            position: 2,
            prev_hash: Some(links[0].hash.clone()),
            hash: link_hash(Some(&links[0].hash), "x"),
            payload: "x".into(),
        };
        links.insert(1, forged);
        for (i, l) in links.iter_mut().enumerate() {
            l.position = i as i64 + 1;
        }
        assert_eq!(broken(&links), Some((3, Break::Unlinked)));
    }
}
