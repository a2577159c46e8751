//! The inverted index of one movement's decision records: for each term, the records that hold
//! it and how often in each field; for each record, its terms in order (for phrases) and what
//! the filters and the ranking read. Built from the records the log replayed, in the order they
//! were recorded, so that every server, on SQLite or PostgreSQL, holds the same index.

use super::query::Query;
use super::snippet::{self, Segment};
use super::tokenize;
use crate::store::DecisionFilter;
use governance_core::reading::ReadScope;
use governance_core::{DecisionId, DecisionRecord, Instant, Movement, UnitId, Visibility};
use std::collections::HashMap;

/// The fields searched, in this order: title, statement, rationale, domain.
pub(super) const FIELDS: usize = 4;
/// How much a word weighs in each field: a title names what was decided, a domain only where.
const WEIGHTS: [f64; FIELDS] = [3.0, 2.0, 1.0, 0.5];
/// BM25's usual constants: how fast repeats saturate, and how much a long field is discounted.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Between two fields in a record's word list, so that no phrase runs from one into the next.
const SEP: u32 = u32::MAX;
/// The visibilities, each counted apart so that a reader's statistics cover only what they may
/// read: ranks and scores then say nothing of the records hidden from them (R17).
const VIS: usize = Visibility::ALL.len();

fn slot(v: Visibility) -> usize {
    Visibility::ALL.iter().position(|x| *x == v).unwrap_or(0)
}

/// The texts of a record's fields, in the order of `FIELDS`.
pub(super) fn fields(d: &DecisionRecord) -> [&str; FIELDS] {
    [
        d.title.as_str(),
        d.statement.as_str(),
        d.rationale.as_str(),
        d.domain().as_str(),
    ]
}

/// One record holding a term: which, and how often in each field (saturated at 255).
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    tf: [u8; FIELDS],
}

/// What the index keeps of one record.
#[derive(Debug)]
struct Doc {
    id: DecisionId,
    decided_at: Instant,
    unit: UnitId,
    visibility: Visibility,
    domain: u32,
    /// Words per field.
    lens: [u16; FIELDS],
    /// The record's terms in order, fields separated by `SEP`.
    words: Box<[u32]>,
}

/// Records and field lengths of one visibility.
#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    docs: u64,
    lens: [u64; FIELDS],
}

/// A record that matched, with its score when ranked.
#[derive(Debug, Clone, Copy)]
pub(super) struct Match {
    pub doc: u32,
    pub id: DecisionId,
    pub decided_at: Instant,
    pub score: f64,
}

/// The search index of one movement (ADR 0008).
#[derive(Debug, Default)]
pub struct SearchIndex {
    terms: HashMap<Box<str>, u32>,
    postings: Vec<Vec<Posting>>,
    /// Per term, how many records of each visibility hold it.
    df: Vec<[u32; VIS]>,
    docs: Vec<Doc>,
    /// Every record's number, oldest first by `(decided_at, id)`: the list's order, so that a
    /// page of the newest records is a binary search and a walk back (see `newest`).
    by_date: Vec<u32>,
    totals: [Totals; VIS],
    domains: HashMap<Box<str>, u32>,
}

/// How many records a page read from memory may look at before it gives up and lets the
/// database answer: a page whose filters keep few records (a small unit among a million) is
/// better served by the database's indexes than by a walk through every newer record.
pub const WALK_BUDGET: usize = 4_096;

impl SearchIndex {
    /// Indexes the records recorded since the last call, in the order recorded. If the index does
    /// not follow the movement's records (a state rebuilt under it), it is rebuilt from them.
    pub fn follow(&mut self, movement: &Movement) {
        let records = movement.decisions();
        let in_step = self.docs.len() <= records.len()
            && self
                .docs
                .last()
                .is_none_or(|last| records[self.docs.len() - 1].id() == last.id);
        if !in_step {
            *self = Self::default();
        }
        // Words as written, and their terms: most words of a movement's records repeat, and
        // folding and stemming each once is most of what building costs.
        let mut forms: HashMap<&str, u32> = HashMap::new();
        for d in &records[self.docs.len()..] {
            self.add(d, &mut forms);
        }
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// An estimate of the memory it holds, in bytes: its vectors' capacities and its terms.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let terms: usize = self
            .terms
            .keys()
            .map(|k| k.len() + size_of::<(Box<str>, u32)>() + 8)
            .sum();
        let postings: usize = self
            .postings
            .iter()
            .map(|p| p.capacity() * size_of::<Posting>() + size_of::<Vec<Posting>>())
            .sum();
        let docs: usize = self.docs.capacity() * size_of::<Doc>()
            + self.docs.iter().map(|d| d.words.len() * 4).sum::<usize>()
            + self.by_date.capacity() * size_of::<u32>();
        terms + postings + docs + self.df.capacity() * size_of::<[u32; VIS]>()
    }

    fn add<'r>(&mut self, d: &'r DecisionRecord, forms: &mut HashMap<&'r str, u32>) {
        let doc = self.docs.len() as u32;
        let mut words = Vec::new();
        let mut lens = [0u16; FIELDS];
        // (term, field) of every word, to count each term's repeats per field.
        let mut seen: Vec<(u32, usize)> = Vec::new();
        for (f, text) in fields(d).into_iter().enumerate() {
            if f > 0 {
                words.push(SEP);
            }
            for (start, end) in tokenize::spans(text) {
                let word = &text[start..end];
                let id = match forms.get(word) {
                    Some(&id) => id,
                    None => {
                        let id = self.intern(&tokenize::analyze(word).0);
                        forms.insert(word, id);
                        id
                    }
                };
                words.push(id);
                seen.push((id, f));
                lens[f] = lens[f].saturating_add(1);
            }
        }
        seen.sort_unstable();
        let v = slot(d.visibility);
        let mut i = 0;
        while i < seen.len() {
            let term = seen[i].0;
            let mut tf = [0u8; FIELDS];
            while i < seen.len() && seen[i].0 == term {
                tf[seen[i].1] = tf[seen[i].1].saturating_add(1);
                i += 1;
            }
            self.postings[term as usize].push(Posting { doc, tf });
            self.df[term as usize][v] += 1;
        }
        let totals = &mut self.totals[v];
        totals.docs += 1;
        for (total, len) in totals.lens.iter_mut().zip(lens) {
            *total += u64::from(len);
        }
        let next = self.domains.len() as u32;
        let domain = *self
            .domains
            .entry(d.domain().as_str().into())
            .or_insert(next);
        self.docs.push(Doc {
            id: d.id(),
            decided_at: d.decided_at(),
            unit: d.unit(),
            visibility: d.visibility,
            domain,
            lens,
            words: words.into_boxed_slice(),
        });
        // Records come in the order recorded, which is nearly always their date's order: the
        // number goes at the end, or (a record dated before the last one) where it belongs.
        let key = self.key(doc);
        match self.by_date.last() {
            Some(&last) if self.key(last) > key => {
                let at = self.by_date.partition_point(|&other| self.key(other) < key);
                self.by_date.insert(at, doc);
            }
            _ => self.by_date.push(doc),
        }
    }

    /// The number of the filter's domain: `Some(None)` without one, `None` when no record has it
    /// (then nothing can match).
    fn domain_of(&self, filter: &DecisionFilter) -> Option<Option<u32>> {
        match &filter.domain {
            Some(name) => self.domains.get(name.as_str()).map(|&id| Some(id)),
            None => Some(None),
        }
    }

    /// Whether a record is within the reader's scope (R17) and `filter`, its words aside.
    fn admits(doc: &Doc, filter: &DecisionFilter, domain: Option<u32>) -> bool {
        filter.scope.admits(doc.visibility)
            && filter.unit.is_none_or(|u| u == doc.unit)
            && domain.is_none_or(|d| d == doc.domain)
            && filter.from.is_none_or(|from| doc.decided_at >= from)
            && filter.until.is_none_or(|until| doc.decided_at < until)
    }

    /// The list's order of a record: date, then id.
    fn key(&self, doc: u32) -> (Instant, uuid::Uuid) {
        let d = &self.docs[doc as usize];
        (d.decided_at, d.id.as_uuid())
    }

    /// The records within `filter` (its words aside) strictly older than `before` in the list's
    /// order, newest first, at most `first + 1`: the ids and dates of a page, and one more if
    /// more follow. `None` if more than `budget` records had to be looked at.
    pub(super) fn newest(
        &self,
        filter: &DecisionFilter,
        first: usize,
        before: Option<(Instant, uuid::Uuid)>,
        budget: usize,
    ) -> Option<Vec<(DecisionId, Instant)>> {
        let Some(domain) = self.domain_of(filter) else {
            return Some(Vec::new());
        };
        let mut end = before.map_or(self.by_date.len(), |b| {
            self.by_date.partition_point(|&doc| self.key(doc) < b)
        });
        if let Some(until) = filter.until {
            end = end.min(
                self.by_date
                    .partition_point(|&doc| self.docs[doc as usize].decided_at < until),
            );
        }
        let start = filter.from.map_or(0, |from| {
            self.by_date
                .partition_point(|&doc| self.docs[doc as usize].decided_at < from)
        });
        let mut out = Vec::with_capacity(first + 1);
        for (looked, &n) in self.by_date[start.min(end)..end].iter().rev().enumerate() {
            if out.len() > first {
                break;
            }
            if looked >= budget {
                return None;
            }
            let doc = &self.docs[n as usize];
            if Self::admits(doc, filter, domain) {
                out.push((doc.id, doc.decided_at));
            }
        }
        Some(out)
    }

    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.terms.get(term) {
            return id;
        }
        let id = self.postings.len() as u32;
        self.terms.insert(term.into(), id);
        self.postings.push(Vec::new());
        self.df.push([0; VIS]);
        id
    }

    /// The records that hold every required term and every phrase of `query`, within the
    /// reader's scope and `filter`, in the order recorded; scored with BM25 when `rank`.
    pub(super) fn matches(&self, query: &Query, filter: &DecisionFilter, rank: bool) -> Vec<Match> {
        let Some(required) = self.ids(&query.required) else {
            return Vec::new();
        };
        let mut phrases = Vec::with_capacity(query.phrases.len());
        for p in &query.phrases {
            match self.ids(p) {
                Some(ids) => phrases.push(ids),
                None => return Vec::new(),
            }
        }
        if required.is_empty() {
            return Vec::new();
        }
        let Some(domain) = self.domain_of(filter) else {
            return Vec::new();
        };
        let scope = filter.scope;
        let stats = rank.then(|| self.stats(scope, &required));
        // The shortest list drives; the others are searched forward from where they stood.
        let mut order: Vec<usize> = (0..required.len()).collect();
        order.sort_by_key(|&k| self.postings[required[k] as usize].len());
        let lists: Vec<&[Posting]> = order
            .iter()
            .map(|&k| self.postings[required[k] as usize].as_slice())
            .collect();
        let mut at = vec![0usize; lists.len()];
        let mut tfs = vec![[0u8; FIELDS]; lists.len()];
        let mut out = Vec::new();
        // The posting lists are intersected first (sequential reads, galloping forward); only
        // the records that hold every word are looked at.
        'docs: for p in lists[0] {
            tfs[0] = p.tf;
            for k in 1..lists.len() {
                let i = seek(lists[k], at[k], p.doc);
                at[k] = i;
                match lists[k].get(i) {
                    Some(q) if q.doc == p.doc => tfs[k] = q.tf,
                    _ => continue 'docs,
                }
            }
            let doc = &self.docs[p.doc as usize];
            if !Self::admits(doc, filter, domain)
                || !phrases.iter().all(|ph| holds_phrase(&doc.words, ph))
            {
                continue;
            }
            let score = match &stats {
                Some(s) => order
                    .iter()
                    .zip(&tfs)
                    .map(|(&k, tf)| s.idf[k] * s.weigh(tf, &doc.lens))
                    .sum(),
                None => 0.0,
            };
            out.push(Match {
                doc: p.doc,
                id: doc.id,
                decided_at: doc.decided_at,
                score,
            });
        }
        out
    }

    /// The snippet of the record numbered `doc` (its text read from `record`), for `query`.
    pub(super) fn snippet(&self, record: &DecisionRecord, doc: u32, query: &Query) -> Vec<Segment> {
        let wanted: Vec<u32> = query
            .required
            .iter()
            .filter_map(|t| self.terms.get(t.as_str()).copied())
            .collect();
        let mut per_field: [&[u32]; FIELDS] = [&[]; FIELDS];
        let words = self
            .docs
            .get(doc as usize)
            .map_or(&[][..], |d| &d.words[..]);
        for (f, part) in words.split(|w| *w == SEP).enumerate().take(FIELDS) {
            per_field[f] = part;
        }
        snippet::snippet(fields(record), per_field, &wanted)
    }

    /// The ids of `terms`, or `None` if one is in no record.
    fn ids(&self, terms: &[String]) -> Option<Vec<u32>> {
        terms
            .iter()
            .map(|t| self.terms.get(t.as_str()).copied())
            .collect()
    }

    /// What BM25 reads, counted over the records the reader may read only.
    fn stats(&self, scope: ReadScope, required: &[u32]) -> Stats {
        let mut docs = 0u64;
        let mut lens = [0u64; FIELDS];
        for (v, t) in Visibility::ALL.iter().zip(&self.totals) {
            if scope.admits(*v) {
                docs += t.docs;
                for (sum, len) in lens.iter_mut().zip(t.lens) {
                    *sum += len;
                }
            }
        }
        let n = docs as f64;
        let avg = lens.map(|l| if docs == 0 { 0.0 } else { l as f64 / n });
        let idf = required
            .iter()
            .map(|&t| {
                let df: u32 = Visibility::ALL
                    .iter()
                    .zip(self.df[t as usize])
                    .filter(|(v, _)| scope.admits(**v))
                    .map(|(_, c)| c)
                    .sum();
                let df = f64::from(df);
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
        Stats { avg, idf }
    }
}

/// What BM25 reads for one query and one reader.
struct Stats {
    avg: [f64; FIELDS],
    /// Per required term, in the query's order.
    idf: Vec<f64>,
}

impl Stats {
    /// One term's weight in one record: BM25 in each field, fields weighted and summed.
    fn weigh(&self, tf: &[u8; FIELDS], lens: &[u16; FIELDS]) -> f64 {
        let mut sum = 0.0;
        for f in 0..FIELDS {
            if tf[f] == 0 {
                continue;
            }
            let tf = f64::from(tf[f]);
            let norm = if self.avg[f] > 0.0 {
                1.0 - B + B * f64::from(lens[f]) / self.avg[f]
            } else {
                1.0
            };
            sum += WEIGHTS[f] * tf * (K1 + 1.0) / (tf + K1 * norm);
        }
        sum
    }
}

/// The first position at or after `from` whose record is not before `doc`: galloping (steps
/// doubling, then a binary search in the last step), so that walking a list forward costs about
/// the logarithm of each gap rather than of the whole list.
fn seek(list: &[Posting], from: usize, doc: u32) -> usize {
    let (mut lo, mut hi, mut step) = (from, from, 1);
    while hi < list.len() && list[hi].doc < doc {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    let hi = hi.min(list.len());
    lo + list[lo..hi].partition_point(|p| p.doc < doc)
}

/// Whether `phrase` stands word after word in `words`, within one field.
fn holds_phrase(words: &[u32], phrase: &[u32]) -> bool {
    phrase.is_empty() || words.windows(phrase.len()).any(|w| w == phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seek_finds_the_first_posting_not_before_a_record_from_anywhere() {
        let list: Vec<Posting> = (0..200u32)
            .map(|i| Posting {
                doc: i * 3,
                tf: [1; FIELDS],
            })
            .collect();
        for from in [0, 1, 7, 50, 199, 200] {
            for doc in [0, 1, 2, 3, 150, 151, 597, 598, 1_000] {
                let naive = (from..list.len())
                    .find(|&i| list[i].doc >= doc)
                    .unwrap_or(list.len());
                assert_eq!(seek(&list, from, doc), naive, "from {from}, doc {doc}");
            }
        }
    }

    #[test]
    fn a_phrase_does_not_run_across_fields() {
        assert!(holds_phrase(&[1, 2, SEP, 3], &[1, 2]));
        assert!(!holds_phrase(&[1, SEP, 2], &[1, 2]));
    }
}
