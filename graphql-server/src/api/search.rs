//! `search`: decision records found by the words a reader types, French-aware (accents, case and
//! word endings folded; every word, and quoted phrases), ranked by relevance, then newest first,
//! each with a snippet whose matched words are marked. Only what the reader may read is searched,
//! counted and scored (R17). The words are read by `store::search` (ADR 0008).

use super::context::{app, lang, member, now, parse_domain, state};
use super::decisions::DecisionObject;
use super::inputs;
use super::{ApiError, ApiResult, Code};
use crate::store::DecisionFilter;
use crate::store::search::{Query, QueryError, SearchCursor, Segment};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::UnitId;
use governance_core::messages::Lang;
use governance_core::queries::Reader;
use uuid::Uuid;

/// A piece of a hit's snippet: plain text, or a word that matched the search.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "SnippetSegment")]
pub struct SegmentObject {
    pub text: String,
    pub highlighted: bool,
}

impl From<Segment> for SegmentObject {
    fn from(s: Segment) -> Self {
        Self {
            text: s.text,
            highlighted: s.highlighted,
        }
    }
}

/// One decision record found, with how well it matched and the passage that shows why.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "SearchHit")]
pub struct HitObject {
    pub decision: DecisionObject,
    /// Its relevance (BM25 over the fields, the title weighing most); higher is better. Only
    /// comparable between hits of one search.
    pub score: f64,
    /// A few dozen words of the field that matched best, the matched words highlighted.
    pub snippet: Vec<SegmentObject>,
}

/// What a search counts beside its page.
#[derive(Debug, Clone, SimpleObject)]
pub struct SearchTotals {
    /// How many records match in all, among those the caller may read.
    pub total_count: i32,
}

/// Reads `text` as a search, or refuses it with `LIMIT_EXCEEDED` before anything is looked up.
pub(super) fn parse_query(text: &str, lang: Lang) -> ApiResult<Query> {
    Query::parse(text).map_err(|e| {
        let (max, fr) = match e {
            QueryError::TooLong { max } => (max, format!("la recherche dépasse {max} octets")),
            QueryError::TooManyWords { max } => (max, format!("la recherche dépasse {max} mots")),
        };
        ApiError::new(Code::LimitExceeded, lang)
            .with_message(match lang {
                Lang::Fr => fr,
                Lang::En => e.to_string(),
            })
            .with("max", max as i64)
            .with("field", "query")
            .into()
    })
}

/// The page size asked, within the server's bound.
pub(super) fn page_size(ctx: &Context<'_>, first: Option<i32>) -> ApiResult<usize> {
    let max = app(ctx).max_page;
    let first = first.unwrap_or(20);
    if first < 0 || first as u64 > max {
        return Err(ApiError::new(Code::LimitExceeded, lang(ctx))
            .with_message(match lang(ctx) {
                Lang::Fr => format!("`first` doit être entre 0 et {max}"),
                Lang::En => format!("`first` must be between 0 and {max}"),
            })
            .with("max", max as i64)
            .into());
    }
    Ok(first as usize)
}

/// Searching decision records.
#[derive(Debug, Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Decision records matching `query`, best first: every word must be in the title,
    /// statement, rationale or domain (accents, case and French word endings ignored), and each
    /// "quoted phrase" must stand word after word in one field. Ties go to the newest, then to
    /// the greater id. `query` has at most 256 bytes and 8 words; `first` is at most 100;
    /// `after` is the cursor of the last hit seen. Outsiders search only the published records
    /// (R17).
    #[allow(clippy::too_many_arguments)]
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        first: Option<i32>,
        after: Option<String>,
        unit_id: Option<Uuid>,
        domain: Option<String>,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Connection<String, HitObject, SearchTotals, EmptyFields>> {
        let l = lang(ctx);
        let parsed = parse_query(&query, l)?;
        let first = page_size(ctx, first)?;
        let after = match after {
            Some(c) => Some(SearchCursor::decode(&c).ok_or_else(|| {
                ApiError::invalid("invalid cursor", "curseur invalide").with("field", "after")
            })?),
            None => None,
        };
        let domain = match domain {
            Some(d) => Some(parse_domain(ctx, &d)?.to_string()),
            None => None,
        };
        let from = from.map(|d| inputs::sane("from", d)).transpose()?;
        let until = until.map(|d| inputs::sane("until", d)).transpose()?;
        let s = state(ctx, at_least_revision).await?;
        // R17, as the core states it: the index searches, counts and scores only this scope.
        let reader = member(ctx).map_or(Reader::Outsider, Reader::Member);
        let at = now();
        let filter = DecisionFilter {
            unit: unit_id.map(UnitId::from_uuid),
            domain,
            from,
            until,
            text: Some(query),
            scope: s.movement.read_scope(reader, at),
        };
        let page = s.search.search(&s.movement, &parsed, &filter, first, after);
        let mut conn = Connection::with_additional_fields(
            after.is_some(),
            page.has_next,
            SearchTotals {
                total_count: i32::try_from(page.total).unwrap_or(i32::MAX),
            },
        );
        for hit in page.hits {
            let Some(d) = s.movement.decision(hit.id) else {
                continue;
            };
            if !s.movement.may_read(reader, d, at) {
                tracing::error!(decision = %hit.id, "the search index disagrees with the log on who may read a decision");
                continue;
            }
            conn.edges.push(Edge::new(
                hit.cursor.encode(),
                HitObject {
                    decision: DecisionObject(d.clone()),
                    score: hit.score,
                    snippet: hit.snippet.into_iter().map(Into::into).collect(),
                },
            ));
        }
        Ok(conn)
    }
}
