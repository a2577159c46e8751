//! Ends: for a list kept in the order its entries began (a unit's mandates, a domain's owners),
//! the instant each entry is over for good, in a max-tree, so that "which entries may still be
//! live at `at`?" skips the runs of entries already over in one step instead of visiting each.
//! A question about a date costs the entries live then plus a logarithm, not the list's history.
//!
//! The ends are bounds, not answers: an entry this finds may still not be live (a gap, a
//! mandate not committed to), so the caller checks each one exactly; an entry it skips is
//! certainly over. Instants are kept as whole seconds, rounded so that the bound stays safe
//! (ends up, the instant asked about down), which keeps the tree at 8 bytes an entry.

use crate::time::Instant;

/// The end bound of each entry of a list, by position.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ends {
    /// A max-tree over `width` leaves: leaf `i` (at `width + i`) is entry `i`'s end, every
    /// inner node the greatest end below it; leaves past `len` hold `OVER`.
    tree: Vec<i64>,
    len: usize,
}

/// The key of an entry that is over at every instant (and of an empty leaf).
const OVER: i64 = i64::MIN;
/// The key of an entry not known to end (and of a beginning that never comes).
pub(crate) const OPEN: i64 = i64::MAX;

/// An end as a key, rounded up to the second: an entry whose key is at most the (rounded down)
/// instant asked about ended at or before it.
pub(crate) fn end_key(end: Option<Instant>) -> i64 {
    end.map_or(OPEN, |e| {
        e.timestamp() + i64::from(e.timestamp_subsec_nanos() > 0)
    })
}

/// An instant asked about, or a beginning, rounded down to the second.
pub(crate) fn at_key(at: Instant) -> i64 {
    at.timestamp()
}

impl Ends {
    /// How many entries the list has.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The number of leaves, a power of two (0 while empty).
    fn width(&self) -> usize {
        self.tree.len() / 2
    }

    /// Appends the end of a new last entry (`None`: not known to end).
    pub(crate) fn push(&mut self, end: Option<Instant>) {
        if self.len == self.width() {
            let keys: Vec<i64> = self.keys().collect();
            self.rebuild(keys.into_iter(), (self.len + 1).next_power_of_two());
        }
        self.len += 1;
        self.set_key(self.len - 1, end_key(end));
    }

    /// Changes the end of entry `i`.
    pub(crate) fn set(&mut self, i: usize, end: Option<Instant>) {
        debug_assert!(i < self.len, "an end beyond the list");
        self.set_key(i, end_key(end));
    }

    /// Keeps the first `len` entries.
    pub(crate) fn truncate(&mut self, len: usize) {
        while self.len > len {
            self.len -= 1;
            self.set_key(self.len, OVER);
        }
    }

    /// Removes entry `i`, shifting the later ones down (rare: a decision taken back).
    pub(crate) fn remove(&mut self, i: usize) {
        let keys: Vec<i64> = self
            .keys()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, k)| k)
            .collect();
        self.len = keys.len();
        let width = self.width();
        self.rebuild(keys.into_iter(), width);
    }

    /// The positions below `limit`, in order, of the entries not over at `at`: every entry live
    /// at `at` below `limit` is among them.
    pub(crate) fn not_over(&self, limit: usize, at: Instant) -> NotOver<'_> {
        NotOver {
            ends: self,
            next: 0,
            limit: limit.min(self.len),
            at: at_key(at),
        }
    }

    /// The first position in `from..limit` whose end is after `at`, in O(log n): climb from
    /// `from`'s leaf to the first subtree to its right that holds a later end, then go down to
    /// that subtree's leftmost such leaf.
    fn first_not_over(&self, from: usize, limit: usize, at: i64) -> Option<usize> {
        if from >= limit {
            return None;
        }
        let width = self.width();
        let mut node = width + from;
        while self.tree[node] <= at {
            // Up while this is a right child, then over to the next subtree on the right.
            while node & 1 == 1 {
                node >>= 1;
            }
            if node == 0 {
                return None; // climbed past the root: nothing to the right
            }
            node += 1;
        }
        while node < width {
            node *= 2;
            if self.tree[node] <= at {
                node += 1;
            }
        }
        Some(node - width).filter(|&i| i < limit)
    }

    fn keys(&self) -> impl Iterator<Item = i64> + '_ {
        let width = self.width();
        self.tree[width..width + self.len].iter().copied()
    }

    fn set_key(&mut self, i: usize, key: i64) {
        let mut node = self.width() + i;
        self.tree[node] = key;
        while node > 1 {
            node >>= 1;
            self.tree[node] = self.tree[2 * node].max(self.tree[2 * node + 1]);
        }
    }

    fn rebuild(&mut self, keys: impl Iterator<Item = i64>, width: usize) {
        let mut tree = vec![OVER; 2 * width];
        for (i, k) in keys.enumerate() {
            tree[width + i] = k;
        }
        for node in (1..width).rev() {
            tree[node] = tree[2 * node].max(tree[2 * node + 1]);
        }
        self.tree = tree;
    }
}

/// Two lists of ends are equal when their entries' ends are, whatever room the trees keep.
impl PartialEq for Ends {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.keys().eq(other.keys())
    }
}

impl Eq for Ends {}

/// The positions of the entries not over at an instant, in order; see [`Ends::not_over`].
#[derive(Debug)]
pub(crate) struct NotOver<'a> {
    ends: &'a Ends,
    next: usize,
    limit: usize,
    at: i64,
}

impl Iterator for NotOver<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let i = self.ends.first_not_over(self.next, self.limit, self.at)?;
        self.next = i + 1;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn instant(seconds: i64, nanos: u32) -> Instant {
        chrono::DateTime::from_timestamp(seconds, nanos).unwrap()
    }

    /// The straightforward answer: every position below `limit` whose end is after `at`.
    fn naive(ends: &[Option<Instant>], limit: usize, at: Instant) -> Vec<usize> {
        (0..limit.min(ends.len()))
            .filter(|&i| ends[i].is_none_or(|e| e > at))
            .collect()
    }

    #[test]
    fn an_entry_is_over_from_its_end_on_and_not_a_second_before() {
        let mut ends = Ends::default();
        ends.push(Some(instant(100, 0)));
        ends.push(None);
        ends.push(Some(instant(200, 500)));
        let at = |s, n| ends.not_over(3, instant(s, n)).collect::<Vec<_>>();
        assert_eq!(at(99, 999_999_999), vec![0, 1, 2]);
        assert_eq!(at(100, 0), vec![1, 2]);
        // Within the second an end falls in, the entry is kept: a bound, checked by the caller.
        assert_eq!(at(200, 0), vec![1, 2]);
        assert_eq!(at(201, 0), vec![1]);
        assert_eq!(ends.not_over(1, instant(0, 0)).collect::<Vec<_>>(), vec![0]);
        assert_eq!(Ends::default().not_over(5, instant(0, 0)).count(), 0);
    }

    /// What the list goes through in the index: appends, ends changed in place (a revocation, an
    /// archive), truncation (a mandate taken back) and removal (an owner taken back).
    #[derive(Debug, Clone)]
    enum Step {
        Push(Option<i64>),
        Set(usize, Option<i64>),
        Truncate(usize),
        Remove(usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        let end = proptest::option::weighted(0.8, 0i64..1_000);
        prop_oneof![
            6 => end.clone().prop_map(Step::Push),
            2 => (0usize..64, end).prop_map(|(i, e)| Step::Set(i, e)),
            1 => (0usize..64).prop_map(Step::Truncate),
            1 => (0usize..64).prop_map(Step::Remove),
        ]
    }

    proptest! {
        /// The tree finds exactly the entries a scan of every end finds, in the same order,
        /// whatever the list went through (ends in seconds and half-seconds, asked at both).
        #[test]
        fn ends_find_exactly_what_a_scan_of_every_entry_finds(
            steps in proptest::collection::vec(step(), 0..120),
            questions in proptest::collection::vec((0i64..1_001, any::<bool>(), 0usize..70), 1..20),
        ) {
            let mut ends = Ends::default();
            let mut plain: Vec<Option<Instant>> = Vec::new();
            // Half of the ends fall inside a second, where the rounding matters.
            let end = |e: Option<i64>| e.map(|s| instant(s / 2, if s % 2 == 1 { 500_000_000 } else { 0 }));
            for s in steps {
                match s {
                    Step::Push(e) => {
                        ends.push(end(e));
                        plain.push(end(e));
                    }
                    Step::Set(i, e) if i < plain.len() => {
                        ends.set(i, end(e));
                        plain[i] = end(e);
                    }
                    Step::Truncate(n) => {
                        ends.truncate(n);
                        plain.truncate(n);
                    }
                    Step::Remove(i) if i < plain.len() => {
                        ends.remove(i);
                        plain.remove(i);
                    }
                    _ => {}
                }
                prop_assert_eq!(ends.len(), plain.len());
            }
            for (s, half, limit) in questions {
                let at = instant(s / 2, if half { 500_000_000 } else { 0 });
                let found: Vec<usize> = ends.not_over(limit, at).collect();
                let exact = naive(&plain, limit, at);
                // A superset of the exact answer, in order, that differs from it only by
                // entries ending within the second asked about.
                prop_assert!(exact.iter().all(|i| found.contains(i)), "{:?} misses some of {:?}", found, exact);
                prop_assert!(found.windows(2).all(|w| w[0] < w[1]));
                for i in found.iter().filter(|i| !exact.contains(i)) {
                    let e = plain[*i].expect("an open entry is never over");
                    prop_assert!(e <= at && at.timestamp() == e.timestamp(), "entry {} ends at {}", i, e);
                }
            }
        }
    }
}
