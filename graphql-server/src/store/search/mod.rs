//! French-aware search over a movement's decision records (ADR 0008): an inverted index held in
//! memory beside the movement's state and derived from the same replayed log, so that SQLite and
//! PostgreSQL answer a query identically. Pages of hits ranked by relevance (BM25, fields
//! weighted), then newest first, then by id; and the newest-first filter `decisions(text:)` uses.
//!
//! `tokenize` cuts text into terms, `query` reads what was typed, `index` holds the postings and
//! scores, `snippet` cuts the passage shown under a hit.

mod index;
mod query;
mod snippet;
pub mod tokenize;

pub use index::{SearchIndex, WALK_BUDGET};
pub use query::{MAX_QUERY_BYTES, MAX_QUERY_WORDS, Query, QueryError};
pub use snippet::Segment;

use super::{DecisionCursor, DecisionFilter, DecisionPage};
use governance_core::{DecisionId, Instant, Movement};
use index::Match;
use std::cmp::Ordering;
use uuid::Uuid;

/// A position in a ranked list of hits: the last hit seen. The order is total (score, then
/// date, then id, each descending), so a page after it starts exactly where the last one ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchCursor {
    pub score: f64,
    pub decided_at: Instant,
    pub id: Uuid,
}

impl SearchCursor {
    /// An opaque, URL-safe text form; the score is written as its exact bits.
    pub fn encode(&self) -> String {
        format!(
            "{:016x}_{}_{}",
            self.score.to_bits(),
            self.decided_at.timestamp_micros(),
            self.id.simple()
        )
    }

    pub fn decode(s: &str) -> Option<Self> {
        let mut parts = s.splitn(3, '_');
        let bits = u64::from_str_radix(parts.next()?, 16).ok()?;
        let micros = parts.next()?.parse().ok()?;
        let id = Uuid::parse_str(parts.next()?).ok()?;
        let score = f64::from_bits(bits);
        score.is_finite().then_some(())?;
        Some(Self {
            score,
            decided_at: chrono::DateTime::from_timestamp_micros(micros)?,
            id,
        })
    }

    fn of(m: &Match) -> Self {
        Self {
            score: m.score,
            decided_at: m.decided_at,
            id: m.id.as_uuid(),
        }
    }
}

/// One hit: the record, its score, and the passage to show.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: DecisionId,
    pub score: f64,
    pub cursor: SearchCursor,
    pub snippet: Vec<Segment>,
}

/// One page of hits, best first.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub hits: Vec<Hit>,
    pub has_next: bool,
    /// How many records match in all, among those the reader may read.
    pub total: usize,
}

/// The ranked order: best score first, then newest, then the greater id.
fn ranked(a: &SearchCursor, b: &SearchCursor) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(b.decided_at.cmp(&a.decided_at))
        .then(b.id.cmp(&a.id))
}

/// Keeps the `first + 1` smallest of `items` under `cmp`, sorted: a page and whether more follow,
/// in time linear in the matches rather than a full sort of them.
fn top<T>(mut items: Vec<T>, first: usize, cmp: impl Fn(&T, &T) -> Ordering) -> (Vec<T>, bool) {
    if items.len() > first + 1 {
        items.select_nth_unstable_by(first, &cmp);
        items.truncate(first + 1);
    }
    items.sort_by(&cmp);
    let has_next = items.len() > first;
    items.truncate(first);
    (items, has_next)
}

impl SearchIndex {
    /// The hits of `query` after `after`, at most `first`, best first, with their snippets.
    /// `filter.scope` is the reader's (R17): records outside it are neither counted nor scored.
    pub fn search(
        &self,
        movement: &Movement,
        query: &Query,
        filter: &DecisionFilter,
        first: usize,
        after: Option<SearchCursor>,
    ) -> SearchPage {
        let matches = self.matches(query, filter, true);
        let total = matches.len();
        let cursors: Vec<(SearchCursor, u32)> = matches
            .iter()
            .map(|m| (SearchCursor::of(m), m.doc))
            .filter(|(c, _)| after.is_none_or(|a| ranked(&a, c) == Ordering::Less))
            .collect();
        let (page, has_next) = top(cursors, first, |a, b| ranked(&a.0, &b.0));
        let hits = page
            .into_iter()
            .map(|(c, doc)| {
                let id = DecisionId::from_uuid(c.id);
                Hit {
                    id,
                    score: c.score,
                    cursor: c,
                    snippet: movement
                        .decision(id)
                        .map(|d| self.snippet(d, doc, query))
                        .unwrap_or_default(),
                }
            })
            .collect();
        SearchPage {
            hits,
            has_next,
            total,
        }
    }

    /// The page that `decisions` lists without words, read from memory: the records within
    /// `filter` after `after`, newest first, at most `first`, as `Store::decision_page` reads
    /// them from the database. `None` when more than `budget` records would have to be looked
    /// at (the API gives `WALK_BUDGET`): the filters keep so few records that the database's
    /// indexes answer sooner.
    pub fn newest_page(
        &self,
        filter: &DecisionFilter,
        first: usize,
        after: Option<DecisionCursor>,
        budget: usize,
    ) -> Option<DecisionPage> {
        let mut rows = self.newest(filter, first, after.map(|c| (c.decided_at, c.id)), budget)?;
        let has_next = rows.len() > first;
        rows.truncate(first);
        Some(DecisionPage {
            end_cursor: rows.last().map(|(id, at)| DecisionCursor {
                decided_at: *at,
                id: id.as_uuid(),
            }),
            ids: rows.into_iter().map(|(id, _)| id.as_uuid()).collect(),
            has_next,
        })
    }

    /// The records matching `query` after `after`, newest first, at most `first`: the page that
    /// `decisions(text:)` lists.
    pub fn filter_page(
        &self,
        query: &Query,
        filter: &DecisionFilter,
        first: usize,
        after: Option<DecisionCursor>,
    ) -> DecisionPage {
        let newest = |a: &DecisionCursor, b: &DecisionCursor| {
            b.decided_at.cmp(&a.decided_at).then(b.id.cmp(&a.id))
        };
        let cursors: Vec<DecisionCursor> = self
            .matches(query, filter, false)
            .iter()
            .map(|m| DecisionCursor {
                decided_at: m.decided_at,
                id: m.id.as_uuid(),
            })
            .filter(|c| after.is_none_or(|a| newest(&a, c) == Ordering::Less))
            .collect();
        let (page, has_next) = top(cursors, first, newest);
        DecisionPage {
            end_cursor: page.last().copied(),
            ids: page.into_iter().map(|c| c.id).collect(),
            has_next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_exactly() {
        let c = SearchCursor {
            score: 1.234_567_890_123_4,
            decided_at: chrono::DateTime::from_timestamp_micros(1_780_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(SearchCursor::decode(&c.encode()), Some(c));
        assert_eq!(SearchCursor::decode("zz_1_2"), None);
        assert_eq!(
            SearchCursor::decode(&format!("{:016x}_0_{}", f64::NAN.to_bits(), c.id.simple())),
            None
        );
    }

    #[test]
    fn top_keeps_a_sorted_page_and_says_if_more_follow() {
        let (page, more) = top(vec![5, 1, 4, 2, 3], 2, |a: &i32, b| a.cmp(b));
        assert_eq!((page, more), (vec![1, 2], true));
        let (page, more) = top(vec![2, 1], 2, |a: &i32, b| a.cmp(b));
        assert_eq!((page, more), (vec![1, 2], false));
    }
}
