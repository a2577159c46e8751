//! The one hash map of the core's state, with a fast hasher, shared by the records and the
//! authority index so that both read their maps alike.

/// The maps of the state. Keys are ids and names the movement itself chose, so a fast hasher
/// (foldhash, seeded per process) is safe here and keeps `may_decide` within its budget; see
/// `docs/adr/0003-fast-hasher-in-the-core.md`.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
