//! The movement's vocabulary of decision domains: each domain name gets a small number the first
//! time a unit uses it, so that the authority check tests a bit instead of comparing strings.

use crate::hash::HashMap;
use crate::text::Domain;
use smallvec::SmallVec;

/// The number a domain name has in one movement. Numbers are never reused or forgotten, so a
/// number stays valid for every past date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DomainId(usize);

/// Every domain name the movement has used, with its number.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    ids: HashMap<Domain, DomainId>,
}

impl Vocabulary {
    /// The number of `domain`, giving it the next one if it is new.
    pub(crate) fn intern(&mut self, domain: &Domain) -> DomainId {
        let next = DomainId(self.ids.len());
        *self.ids.entry(domain.clone()).or_insert(next)
    }

    /// The number of `domain`, if any unit ever had it. A domain without a number belongs to no
    /// unit, so no mandate can cover it.
    pub(crate) fn get(&self, domain: &Domain) -> Option<DomainId> {
        self.ids.get(domain).copied()
    }

    /// The set of `domains`, numbering the new ones.
    pub(crate) fn set_of<'a>(
        &mut self,
        domains: impl IntoIterator<Item = &'a Domain>,
    ) -> DomainSet {
        let mut set = DomainSet::default();
        for d in domains {
            set.insert(self.intern(d));
        }
        set
    }
}

/// A set of domains as a bit set. Up to 128 domains it lives inline, with no pointer to follow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DomainSet {
    words: SmallVec<[u64; 2]>,
}

impl DomainSet {
    pub(crate) fn insert(&mut self, id: DomainId) {
        let (word, bit) = (id.0 / 64, id.0 % 64);
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << bit;
    }

    pub(crate) fn contains(&self, id: DomainId) -> bool {
        self.words
            .get(id.0 / 64)
            .is_some_and(|w| w & (1 << (id.0 % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(name: &str) -> Domain {
        Domain::parse(name).unwrap()
    }

    #[test]
    fn a_name_keeps_its_number_and_sets_hold_exactly_their_members() {
        let mut v = Vocabulary::default();
        let budget = v.intern(&domain("budget"));
        assert_eq!(v.intern(&domain("budget")), budget);
        assert_eq!(v.get(&domain("budget")), Some(budget));
        assert_eq!(v.get(&domain("inconnu")), None);
        let set = v.set_of([&domain("budget"), &domain("mandats")]);
        assert!(set.contains(budget));
        assert!(set.contains(v.get(&domain("mandats")).unwrap()));
        assert!(!set.contains(v.intern(&domain("communication"))));
    }

    #[test]
    fn sets_past_128_domains_spill_and_stay_exact() {
        let mut v = Vocabulary::default();
        let names: Vec<Domain> = (0..300).map(|i| domain(&format!("d{i}"))).collect();
        let ids: Vec<DomainId> = names.iter().map(|d| v.intern(d)).collect();
        let evens = v.set_of(names.iter().step_by(2));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(evens.contains(*id), i % 2 == 0, "domain d{i}");
        }
        assert!(!DomainSet::default().contains(ids[299]));
    }
}
