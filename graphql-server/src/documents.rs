//! Documents already measured and parsed, kept by their text: most requests repeat one of a
//! few queries (the pages', a client's), and parsing and measuring one costs more than the
//! rest of a small request. A document is measured against its budget once, when first seen;
//! later requests with the same text take its parsed form and skip both. The cache is bounded
//! by weight, and its policy (quick_cache's, scan resistant) keeps the documents asked for
//! again over one-off ones, so that no client can evict the common ones by sending many new
//! documents, nor grow the server's memory.

use crate::budget::{BudgetError, DocumentLimits, Measure, measure_document};
use async_graphql::parser::types::ExecutableDocument;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use std::sync::Arc;

/// Longer documents are measured and parsed every time: they are rare, and caching them would
/// let a few requests fill the cache.
pub const MAX_CACHED_TEXT: usize = 8 * 1024;

/// What the cache may hold, in reckoned bytes (see `DocumentWeight`).
pub const CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// A document within its budget, measured and parsed.
#[derive(Debug)]
pub struct Prepared {
    pub measure: Measure,
    pub document: ExecutableDocument,
}

/// Reckons an entry's weight as its text and a parsed form a few times larger.
#[derive(Debug, Clone, Copy)]
struct DocumentWeight;

impl Weighter<String, Arc<Prepared>> for DocumentWeight {
    fn weight(&self, text: &String, _: &Arc<Prepared>) -> u64 {
        (text.len() as u64) * 4 + 512
    }
}

/// The documents one edge has prepared, against its one set of limits.
#[derive(Clone)]
pub struct Documents {
    limits: DocumentLimits,
    cache: Arc<Cache<String, Arc<Prepared>, DocumentWeight>>,
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents")
            .field("limits", &self.limits)
            .field("held", &self.cache.len())
            .finish()
    }
}

impl Documents {
    pub fn new(limits: DocumentLimits) -> Self {
        Self {
            limits,
            cache: Arc::new(Cache::with_weighter(1_024, CACHE_BYTES, DocumentWeight)),
        }
    }

    /// The document measured and parsed, from the cache when its text was seen before. A
    /// document over its budget, or that does not parse, is never kept: it is refused again,
    /// at the same cost as the first time.
    pub fn prepare(&self, text: &str) -> Result<Arc<Prepared>, BudgetError> {
        if let Some(prepared) = self.cache.get(text) {
            return Ok(prepared);
        }
        let (measure, document) = measure_document(text, &self.limits)?;
        let prepared = Arc::new(Prepared { measure, document });
        if text.len() <= MAX_CACHED_TEXT {
            self.cache.insert(text.to_owned(), prepared.clone());
        }
        Ok(prepared)
    }

    /// How many documents are held (for tests).
    pub fn len(&self) -> usize {
        self.cache.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.cache.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_over_its_budget_is_refused_every_time_and_never_kept() {
        let limits = DocumentLimits {
            aliases: 1,
            ..DocumentLimits::default()
        };
        let documents = Documents::new(limits);
        let text = "{ a: revision b: revision }";
        for _ in 0..3 {
            assert!(matches!(
                documents.prepare(text),
                Err(BudgetError::Over { .. })
            ));
        }
        assert!(documents.is_empty());
    }

    #[test]
    fn a_repeated_document_is_parsed_once() {
        let documents = Documents::new(DocumentLimits::default());
        let first = documents.prepare("{ revision }").expect("within budget");
        let again = documents.prepare("{ revision }").expect("within budget");
        assert!(Arc::ptr_eq(&first, &again));
        assert!(!first.measure.mutation);
    }

    #[test]
    fn a_long_document_is_not_kept() {
        let documents = Documents::new(DocumentLimits::default());
        let text = format!("{{ revision }}{}", " ".repeat(MAX_CACHED_TEXT));
        documents.prepare(&text).expect("within budget");
        assert!(documents.is_empty());
    }
}
