//! `verify`: walks a movement's two hash chains, the audit log by revision and the decision
//! records by sequence, page by page, and reports the first broken link. A chain head exported
//! earlier (revision and hash) also catches a truncated tail.

use super::StoreError;
use super::chain::{Break, BrokenLink, ChainName, StoredLink, Walker};
use super::codec;
use super::entity::{audit_entries, decisions};
use governance_core::OrganizationId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

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

/// Whether a decision row's columns agree with the record that was hashed.
fn decision_columns_match(row: &decisions::Model) -> bool {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&row.payload) else {
        return false;
    };
    match codec::parse_draft(&value) {
        Ok(d) => {
            d.id.as_uuid() == row.id
                && d.unit.as_uuid() == row.unit_id
                && d.domain.as_str() == row.domain
                && d.title.as_str() == row.title
                && d.statement.as_str() == row.statement
                && d.rationale.as_str() == row.rationale
                && codec::micros(d.decided_at) == row.decided_at
                && codec::visibility_name(d.visibility) == row.visibility
        }
        Err(_) => false,
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
    let mut last_revision = start - 1;
    'pages: loop {
        let rows = audit_entries::Entity::find()
            .filter(audit_entries::Column::OrganizationId.eq(o))
            .filter(audit_entries::Column::Revision.gt(last_revision))
            .order_by_asc(audit_entries::Column::Revision)
            .limit(PAGE)
            .all(db)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            last_revision = row.revision;
            if exported.is_some_and(|h| h.revision == row.revision) {
                hash_at_exported = Some(row.hash.clone());
            }
            let link = StoredLink {
                position: row.revision,
                prev_hash: row.prev_hash.clone(),
                hash: row.hash.clone(),
                payload: row.payload.clone(),
                columns_match: audit_columns_match(row),
            };
            if !audit.push(&link) {
                break 'pages;
            }
        }
    }
    let audit_length = audit.length();
    let head = audit.head().map(|h| ChainHead {
        revision: audit_length,
        hash: h.to_owned(),
    });
    let mut first_break = audit.finish();

    let (start, prev) = tail_start(db, org, ChainName::Decisions, tail).await?;
    let mut chain = Walker::resume(ChainName::Decisions, start, prev);
    let mut last_seq = start - 1;
    'pages: loop {
        let rows = decisions::Entity::find()
            .filter(decisions::Column::OrganizationId.eq(o))
            .filter(decisions::Column::Seq.gt(last_seq))
            .order_by_asc(decisions::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            last_seq = row.seq;
            let link = StoredLink {
                position: row.seq,
                prev_hash: row.prev_hash.clone(),
                hash: row.hash.clone(),
                payload: row.payload.clone(),
                columns_match: decision_columns_match(row),
            };
            if !chain.push(&link) {
                break 'pages;
            }
        }
    }
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
