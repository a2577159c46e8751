//! `verify`: walks a movement's two hash chains, the audit log by revision and the decision
//! records by sequence, page by page, and reports the first broken link. A chain head exported
//! earlier (revision and hash) also catches a truncated tail.
//!
//! Each entry's hash depends only on what its row stores, so the contents of a page are checked
//! in parallel (rayon, off the async threads) while the next pages are read; the links are then
//! followed in order, so the first broken link reported is the same as a walk one by one. The
//! walk covers positions up to the last one stored when it began: a gap is a missing entry.
//! On SQLite the rows are read from the database file directly (`file`, ADR 0015); on
//! PostgreSQL with sqlx, a few pages at once, each on a connection of its own (`pg`).

mod content;
mod file;
mod pg;

use super::StoreError;
use super::chain::{Break, BrokenLink, ChainName, Walker};
use super::entity::{audit_entries, decisions};
use content::Link;
use governance_core::OrganizationId;
use rayon::prelude::*;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use std::path::PathBuf;

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

/// A row of a chain as read on PostgreSQL (`pg`), checked on the rayon pool.
trait ChainRow: Send + Sync + 'static {
    fn link(&self) -> Link<'_>;
    /// Whether its hash and columns agree with its payload.
    fn content_ok(&self) -> bool;
}

/// Follows the links of a walk in order, and keeps the hash found at one position (the
/// exported head's) on the way.
struct Watch {
    position: Option<i64>,
    hash: Option<String>,
}

impl Watch {
    fn at(position: Option<i64>) -> Self {
        Self {
            position,
            hash: None,
        }
    }

    /// Takes the next entry, checked, into the walk; false once the walk has broken.
    fn step(&mut self, walker: &mut Walker, link: Link<'_>, content_ok: bool) -> bool {
        if self.position == Some(link.position) {
            self.hash = Some(link.hash.to_owned());
        }
        walker.push_checked(link.position, link.prev_hash, link.hash, content_ok)
    }
}

/// A page read on PostgreSQL with each row's check, done in parallel off the async threads.
type Checked<R> = tokio::task::JoinHandle<(Vec<R>, Vec<bool>)>;

fn check_page<R: ChainRow>(rows: Vec<R>) -> Checked<R> {
    tokio::task::spawn_blocking(move || {
        let oks = rows.par_iter().map(ChainRow::content_ok).collect();
        (rows, oks)
    })
}

/// How many pages are read at once on PostgreSQL, each on a connection of its own, while the
/// page before is checked on the rayon pool and walked: PostgreSQL reads in processes of its
/// own and gains from several reads at once (see `docs/benchmarks.md`, "Storage").
const READ_AHEAD: usize = 3;

/// A page's read, stopped if the walk no longer waits for it (it stopped at a break, or failed).
struct Aborting<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for Aborting<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Walks positions `start..=last` of a chain on PostgreSQL, in pages of `PAGE` positions, read
/// some at a time and checked in parallel; the links are followed in order. The walk stops at
/// the first break.
async fn walk_pages(
    pool: &sqlx::PgPool,
    org: OrganizationId,
    chain: ChainName,
    walker: &mut Walker,
    (start, last): (i64, i64),
    watch: &mut Watch,
) -> Result<(), StoreError> {
    use futures_util::{StreamExt, stream};
    let page = PAGE as i64;
    let ranges = (start..=last)
        .step_by(PAGE as usize)
        .map(|from| (from, (from + page - 1).min(last)));
    // Each page is read by a task of its own, so that the pages read at once are received and
    // decoded on every runtime thread rather than on the walking task's; its check starts as
    // soon as it is read. The next pages are read while the one before them is checked and
    // walked.
    let task = |e: tokio::task::JoinError| StoreError::Task(e.to_string());
    let mut pages = stream::iter(ranges)
        .map(|range| {
            let pool = pool.clone();
            let mut read = Aborting(tokio::spawn(async move {
                let rows = pg::page(&pool, org.as_uuid(), chain, range).await?;
                check_page(rows).await.map_err(task)
            }));
            async move { (&mut read.0).await.map_err(task)? }
        })
        .buffered(READ_AHEAD);
    while let Some(checked) = pages.next().await {
        let (rows, oks) = checked?;
        for (row, ok) in rows.iter().zip(oks) {
            if !watch.step(walker, row.link(), ok) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The SQLite file behind a connection, if it has one (an in-memory database has none).
async fn sqlite_file<C: ConnectionTrait>(db: &C) -> Result<Option<PathBuf>, StoreError> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return Ok(None);
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "PRAGMA database_list",
        ))
        .await?;
    for row in rows {
        let name: String = row.try_get_by_index(1)?;
        let file: String = row.try_get_by_index(2)?;
        if name == "main" && !file.is_empty() {
            return Ok(Some(PathBuf::from(file)));
        }
    }
    Ok(None)
}

/// Walks positions `start..=last` of a chain: on PostgreSQL a few pages at once through sqlx
/// (`pg`), on SQLite from the database file (`file`).
async fn walk(
    db: &DatabaseConnection,
    org: OrganizationId,
    chain: ChainName,
    mut walker: Walker,
    range: (i64, i64),
    watch: Option<i64>,
) -> Result<(Walker, Watch), StoreError> {
    let mut watch = Watch::at(watch);
    if range.0 > range.1 {
        return Ok((walker, watch));
    }
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        let pool = db.get_postgres_connection_pool();
        walk_pages(pool, org, chain, &mut walker, range, &mut watch).await?;
        return Ok((walker, watch));
    }
    let path = sqlite_file(db).await?.ok_or(StoreError::NoFile)?;
    let o = org.as_uuid();
    tokio::task::spawn_blocking(move || {
        file::walk(&path, o, chain, &mut walker, range, &mut watch).map(|()| (walker, watch))
    })
    .await
    .map_err(|e| StoreError::Task(e.to_string()))?
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

pub(super) async fn verify(
    db: &DatabaseConnection,
    org: OrganizationId,
    exported: Option<&ChainHead>,
) -> Result<Verification, StoreError> {
    verify_from(db, org, exported, None).await
}

/// Verifies the whole chains, or with `tail` only their last `tail` entries (each chain's
/// first entry of the tail is trusted to link to what came before).
pub(super) async fn verify_from(
    db: &DatabaseConnection,
    org: OrganizationId,
    exported: Option<&ChainHead>,
    tail: Option<u64>,
) -> Result<Verification, StoreError> {
    let o = org.as_uuid();
    let (start, prev) = tail_start(db, org, ChainName::Audit, tail).await?;
    let last = last_position(db, org, ChainName::Audit).await?;
    let (audit, watch) = walk(
        db,
        org,
        ChainName::Audit,
        Walker::resume(ChainName::Audit, start, prev),
        (start, last),
        exported.map(|h| h.revision),
    )
    .await?;
    let mut hash_at_exported = watch.hash;
    let audit_length = audit.length();
    let head = audit.head().map(|h| ChainHead {
        revision: audit_length,
        hash: h.to_owned(),
    });
    let mut first_break = audit.finish();

    let (start, prev) = tail_start(db, org, ChainName::Decisions, tail).await?;
    let last = last_position(db, org, ChainName::Decisions).await?;
    let (chain, _) = walk(
        db,
        org,
        ChainName::Decisions,
        Walker::resume(ChainName::Decisions, start, prev),
        (start, last),
        None,
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
