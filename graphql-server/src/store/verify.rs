//! `verify`: walks a movement's two hash chains, the audit log by revision and the decision
//! records by sequence, page by page, and reports the first broken link. A chain head exported
//! earlier (revision and hash) also catches a truncated tail.
//!
//! Each entry's hash depends only on what its row stores, so the contents of a page are checked
//! in parallel (rayon, on a blocking thread) while the next pages are read, each on a connection
//! of its own; the links are then followed in order, so the first broken link reported is the
//! same as a walk one by one. Pages are ranges of positions up to the last one stored when the
//! walk began: a gap is a missing entry, as before.

use super::StoreError;
use super::chain::{Break, BrokenLink, ChainName, Walker, link_hash};
use super::codec;
use super::entity::{audit_entries, decisions};
use governance_core::OrganizationId;
use rayon::prelude::*;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::borrow::Cow;

const PAGE: u64 = 5_000;

/// The head of the audit chain: the last revision and its hash. Export it somewhere safe; a
/// later `verify` against it proves the log was not cut short.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainHead {
    pub revision: i64,
    pub hash: String,
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verification {
    pub audit_entries: i64,
    pub decisions: i64,
    pub head: Option<ChainHead>,
    pub first_break: Option<BrokenLink>,
}

impl Verification {
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }
}

/// Whether an audit row's columns agree with the event it stores.
fn audit_columns_match(row: &audit_entries::Model) -> bool {
    if super::token_log::is_token_action(&row.action) {
        return super::token_log::columns_match(row);
    }
    match codec::decode(&row.payload) {
        Ok(event) => event.kind_name() == row.action && codec::micros(event.at()) == row.at,
        Err(_) => false,
    }
}

/// What `verify` reads of a decision row: the link and the columns a reader queries, not the
/// whole row.
#[derive(Debug, FromQueryResult)]
struct DecisionRow {
    seq: i64,
    prev_hash: Option<String>,
    hash: String,
    payload: String,
    id: uuid::Uuid,
    unit_id: uuid::Uuid,
    domain: String,
    title: String,
    statement: String,
    rationale: String,
    decided_at: chrono::DateTime<chrono::Utc>,
    visibility: String,
}

/// The members of a decision's payload that its row repeats as columns, borrowed from the
/// payload where it has no escapes; the others are skipped unread.
#[derive(serde::Deserialize)]
struct DecisionColumns<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    unit: Cow<'a, str>,
    #[serde(borrow)]
    domain: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    statement: Cow<'a, str>,
    #[serde(borrow)]
    rationale: Cow<'a, str>,
    #[serde(borrow)]
    decided_at: Cow<'a, str>,
    #[serde(borrow)]
    visibility: Cow<'a, str>,
}

/// Whether a decision row's columns agree with the record that was hashed.
fn decision_columns_match(row: &DecisionRow) -> bool {
    let Ok(c) = serde_json::from_str::<DecisionColumns<'_>>(&row.payload) else {
        return false;
    };
    let uuid_is =
        |text: &str, want: uuid::Uuid| uuid::Uuid::parse_str(text).is_ok_and(|u| u == want);
    uuid_is(&c.id, row.id)
        && uuid_is(&c.unit, row.unit_id)
        && c.domain == row.domain
        && c.title == row.title
        && c.statement == row.statement
        && c.rationale == row.rationale
        && chrono::DateTime::parse_from_rfc3339(&c.decided_at)
            .is_ok_and(|d| codec::micros(d.with_timezone(&chrono::Utc)) == row.decided_at)
        && c.visibility == row.visibility
}

/// One entry with its content checked: what the walk in order needs.
struct Checked {
    position: i64,
    prev_hash: Option<String>,
    hash: String,
    content_ok: bool,
}

impl Checked {
    fn of(
        position: i64,
        prev_hash: Option<String>,
        hash: String,
        payload: &str,
        columns: bool,
    ) -> Self {
        let content_ok = columns && link_hash(prev_hash.as_deref(), payload) == hash;
        Self {
            position,
            prev_hash,
            hash,
            content_ok,
        }
    }
}

fn check_audit(row: audit_entries::Model) -> Checked {
    let columns = audit_columns_match(&row);
    Checked::of(row.revision, row.prev_hash, row.hash, &row.payload, columns)
}

fn check_decision(row: DecisionRow) -> Checked {
    let columns = decision_columns_match(&row);
    Checked::of(row.seq, row.prev_hash, row.hash, &row.payload, columns)
}

/// Checks a page's contents in parallel, off the async threads.
fn check_page<R: Send + 'static>(
    rows: Vec<R>,
    check: fn(R) -> Checked,
) -> tokio::task::JoinHandle<Vec<Checked>> {
    tokio::task::spawn_blocking(move || rows.into_par_iter().map(check).collect())
}

async fn checked(
    page: Option<tokio::task::JoinHandle<Vec<Checked>>>,
) -> Result<Vec<Checked>, StoreError> {
    match page {
        None => Ok(Vec::new()),
        Some(h) => h.await.map_err(|e| StoreError::Task(e.to_string())),
    }
}

async fn audit_page<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    (from, to): (i64, i64),
) -> Result<Vec<audit_entries::Model>, StoreError> {
    Ok(audit_entries::Entity::find()
        .filter(audit_entries::Column::OrganizationId.eq(org.as_uuid()))
        .filter(audit_entries::Column::Revision.between(from, to))
        .order_by_asc(audit_entries::Column::Revision)
        .all(db)
        .await?)
}

async fn decision_page<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    (from, to): (i64, i64),
) -> Result<Vec<DecisionRow>, StoreError> {
    use decisions::Column as D;
    Ok(decisions::Entity::find()
        .select_only()
        .columns([
            D::Seq,
            D::PrevHash,
            D::Hash,
            D::Payload,
            D::Id,
            D::UnitId,
            D::Domain,
            D::Title,
            D::Statement,
            D::Rationale,
            D::DecidedAt,
            D::Visibility,
        ])
        .filter(D::OrganizationId.eq(org.as_uuid()))
        .filter(D::Seq.between(from, to))
        .order_by_asc(D::Seq)
        .into_model::<DecisionRow>()
        .all(db)
        .await?)
}

/// How many pages are read at once, each on a connection of its own, while the page before is
/// checked on the rayon pool and walked. PostgreSQL reads in processes of its own and gains from
/// several reads at once; SQLite reads on this server's cores, which the hashing needs too, and
/// each of its connections keeps a page cache of its own: one read at a time measured faster
/// (see `docs/benchmarks.md`, "Storage").
fn read_ahead(backend: sea_orm::DatabaseBackend) -> usize {
    match backend {
        sea_orm::DatabaseBackend::Sqlite => 1,
        _ => 3,
    }
}

/// Walks positions `start..=last` of a chain in pages of `PAGE` positions, read some at a time
/// (`read_ahead`) and checked in parallel; the links are followed in order. `seen` hears every entry
/// walked; the walk stops at the first break.
async fn walk<R, F, Fut>(
    backend: sea_orm::DatabaseBackend,
    walker: &mut Walker,
    start: i64,
    last: i64,
    fetch: F,
    check: fn(R) -> Checked,
    mut seen: impl FnMut(&Checked),
) -> Result<(), StoreError>
where
    R: Send + 'static,
    F: Fn((i64, i64)) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<R>, StoreError>>,
{
    use futures_util::{StreamExt, stream};
    let page = PAGE as i64;
    let ranges = (start..=last)
        .step_by(PAGE as usize)
        .map(|from| (from, (from + page - 1).min(last)));
    // Each page's check starts as soon as it is read; the next page is read while the one
    // before it is checked and walked.
    let mut pages = stream::iter(ranges)
        .map(|range| {
            let rows = fetch(range);
            async move { Ok::<_, StoreError>(check_page(rows.await?, check)) }
        })
        .buffered(read_ahead(backend));
    let mut pending = None;
    loop {
        let next = pages.next().await.transpose()?;
        for c in checked(pending.take()).await? {
            seen(&c);
            if !walker.push_checked(c.position, c.prev_hash.as_deref(), &c.hash, c.content_ok) {
                return Ok(());
            }
        }
        match next {
            Some(page) => pending = Some(page),
            None => return Ok(()),
        }
    }
}

/// The last position stored in a chain (0 when empty).
async fn last_position<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    chain: ChainName,
) -> Result<i64, StoreError> {
    match chain {
        // The audit chain's last position is the movement's head revision.
        ChainName::Audit => super::head::read(db, org).await,
        ChainName::Decisions => {
            let last: Option<Option<i64>> = decisions::Entity::find()
                .select_only()
                .column_as(decisions::Column::Seq.max(), "last")
                .filter(decisions::Column::OrganizationId.eq(org.as_uuid()))
                .into_tuple()
                .one(db)
                .await?;
            Ok(last.flatten().unwrap_or(0))
        }
    }
}

/// Where a walk starts: the position and the trusted hash before it.
async fn tail_start<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    chain: ChainName,
    tail: Option<u64>,
) -> Result<(i64, Option<String>), StoreError> {
    let Some(n) = tail else {
        return Ok((1, None));
    };
    let o = org.as_uuid();
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    Ok(match chain {
        ChainName::Audit => {
            let last = audit_entries::Entity::find()
                .filter(audit_entries::Column::OrganizationId.eq(o))
                .order_by_desc(audit_entries::Column::Revision)
                .one(db)
                .await?
                .map_or(0, |r| r.revision);
            let start = (last - n + 1).max(1);
            let first = audit_entries::Entity::find()
                .filter(audit_entries::Column::OrganizationId.eq(o))
                .filter(audit_entries::Column::Revision.eq(start))
                .one(db)
                .await?;
            (start, first.and_then(|r| r.prev_hash))
        }
        ChainName::Decisions => {
            let last = decisions::Entity::find()
                .filter(decisions::Column::OrganizationId.eq(o))
                .order_by_desc(decisions::Column::Seq)
                .one(db)
                .await?
                .map_or(0, |r| r.seq);
            let start = (last - n + 1).max(1);
            let first = decisions::Entity::find()
                .filter(decisions::Column::OrganizationId.eq(o))
                .filter(decisions::Column::Seq.eq(start))
                .one(db)
                .await?;
            (start, first.and_then(|r| r.prev_hash))
        }
    })
}

pub(super) async fn verify<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    exported: Option<&ChainHead>,
) -> Result<Verification, StoreError> {
    verify_from(db, org, exported, None).await
}

/// Verifies the whole chains, or with `tail` only their last `tail` entries (each chain's
/// first entry of the tail is trusted to link to what came before).
pub(super) async fn verify_from<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    exported: Option<&ChainHead>,
    tail: Option<u64>,
) -> Result<Verification, StoreError> {
    let o = org.as_uuid();
    let (start, prev) = tail_start(db, org, ChainName::Audit, tail).await?;
    let mut audit = Walker::resume(ChainName::Audit, start, prev);
    let mut hash_at_exported: Option<String> = None;
    let last = last_position(db, org, ChainName::Audit).await?;
    walk(
        db.get_database_backend(),
        &mut audit,
        start,
        last,
        |range| audit_page(db, org, range),
        check_audit,
        |c| {
            if exported.is_some_and(|h| h.revision == c.position) {
                hash_at_exported = Some(c.hash.clone());
            }
        },
    )
    .await?;
    let audit_length = audit.length();
    let head = audit.head().map(|h| ChainHead {
        revision: audit_length,
        hash: h.to_owned(),
    });
    let mut first_break = audit.finish();

    let (start, prev) = tail_start(db, org, ChainName::Decisions, tail).await?;
    let mut chain = Walker::resume(ChainName::Decisions, start, prev);
    let last = last_position(db, org, ChainName::Decisions).await?;
    walk(
        db.get_database_backend(),
        &mut chain,
        start,
        last,
        |range| decision_page(db, org, range),
        check_decision,
        |_| {},
    )
    .await?;
    let decision_count = chain.length();
    if first_break.is_none() {
        first_break = chain.finish();
    }
    // A head exported before the tail walked: read its entry directly.
    if let Some(h) = exported
        && hash_at_exported.is_none()
        && h.revision <= audit_length
    {
        hash_at_exported = audit_entries::Entity::find()
            .filter(audit_entries::Column::OrganizationId.eq(o))
            .filter(audit_entries::Column::Revision.eq(h.revision))
            .one(db)
            .await?
            .map(|r| r.hash);
    }
    if first_break.is_none()
        && let Some(h) = exported
    {
        if h.revision > audit_length {
            first_break = Some(BrokenLink {
                chain: ChainName::Audit,
                position: audit_length + 1,
                problem: Break::Truncated,
            });
        } else if hash_at_exported.as_deref() != Some(h.hash.as_str()) {
            first_break = Some(BrokenLink {
                chain: ChainName::Audit,
                position: h.revision,
                problem: Break::Diverged,
            });
        }
    }
    // Token rows must agree with the entries that created and revoked them.
    if first_break.is_none() {
        use super::entity::api_tokens;
        use super::token_log;
        let rows = api_tokens::Entity::find()
            .filter(api_tokens::Column::OrganizationId.eq(o))
            .all(db)
            .await?;
        if !rows.is_empty() {
            let entries = audit_entries::Entity::find()
                .filter(audit_entries::Column::OrganizationId.eq(o))
                .filter(
                    audit_entries::Column::Action.is_in([token_log::CREATED, token_log::REVOKED]),
                )
                .all(db)
                .await?;
            if let Some(position) = token_log::rows_agree(&rows, &entries) {
                first_break = Some(BrokenLink {
                    chain: ChainName::Audit,
                    position,
                    problem: Break::Modified,
                });
            }
        }
    }
    Ok(Verification {
        audit_entries: audit_length,
        decisions: decision_count,
        head,
        first_break,
    })
}

impl super::Store {
    /// Walks both hash chains of a movement (and compares with an exported head, if given).
    pub async fn verify(
        &self,
        org: OrganizationId,
        exported: Option<&ChainHead>,
    ) -> Result<Verification, StoreError> {
        verify(self.connection(), org, exported).await
    }

    /// Verifies the last `tail` entries of both chains (and the exported head, if any): what
    /// the server checks before it serves.
    pub async fn verify_tail(
        &self,
        org: OrganizationId,
        tail: u64,
        exported: Option<&ChainHead>,
    ) -> Result<Verification, StoreError> {
        verify_from(self.connection(), org, exported, Some(tail)).await
    }
}
