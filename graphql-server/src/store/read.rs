//! Reads that go to the database rather than to the in-memory state: keyset pages of decision
//! records, which stay as cheap deep into a million records as on the first page, and pages of
//! the audit log.

use super::codec;
use super::entity::{audit_entries, decisions};
use super::search::Query;
use super::{Store, StoreError};
use governance_core::reading::ReadScope;
use governance_core::{Instant, MemberId, OrganizationId, UnitId, Visibility};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// A position in the newest-first list of decisions: the last row seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionCursor {
    pub decided_at: Instant,
    pub id: Uuid,
}

impl DecisionCursor {
    /// An opaque, URL-safe text form.
    pub fn encode(&self) -> String {
        format!(
            "{}_{}",
            self.decided_at.timestamp_micros(),
            self.id.simple()
        )
    }

    pub fn decode(s: &str) -> Option<Self> {
        let (micros, id) = s.split_once('_')?;
        Some(Self {
            decided_at: chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: Uuid::parse_str(id).ok()?,
        })
    }
}

/// Which decisions to list.
#[derive(Debug, Clone)]
pub struct DecisionFilter {
    pub unit: Option<UnitId>,
    pub domain: Option<String>,
    pub from: Option<Instant>,
    pub until: Option<Instant>,
    /// Words to find in the title, statement, rationale or domain, as the search reads them
    /// (accents, case and French word endings folded; every word, and any quoted phrase).
    pub text: Option<String>,
    /// What the reader may see, as the core answers it (R17).
    pub scope: ReadScope,
}

impl Default for DecisionFilter {
    /// No filter: every decision, as the store's own callers (export, tests) list them. The API
    /// always passes the reader's scope.
    fn default() -> Self {
        Self {
            unit: None,
            domain: None,
            from: None,
            until: None,
            text: None,
            scope: ReadScope::Everything,
        }
    }
}

impl DecisionFilter {
    /// The words searched, if any: blank text searches nothing and filters nothing.
    pub fn searched(&self) -> Option<&str> {
        self.text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }
}

/// One page of decision ids, newest first.
#[derive(Debug, Clone)]
pub struct DecisionPage {
    pub ids: Vec<Uuid>,
    pub has_next: bool,
    pub end_cursor: Option<DecisionCursor>,
}

/// One entry of the audit log, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub revision: i64,
    pub at: Instant,
    /// `None` when the system acted, not a member.
    pub actor: Option<MemberId>,
    pub action: String,
    pub subject: String,
    pub reason: Option<String>,
    pub hash: String,
}

impl Store {
    /// The `first` audit entries before `before_revision` (or the last ones), newest first.
    pub async fn audit_page(
        &self,
        org: OrganizationId,
        before_revision: Option<i64>,
        first: u64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut q = audit_entries::Entity::find()
            .filter(audit_entries::Column::OrganizationId.eq(org.as_uuid()));
        if let Some(b) = before_revision {
            q = q.filter(audit_entries::Column::Revision.lt(b));
        }
        let rows = q
            .order_by_desc(audit_entries::Column::Revision)
            .limit(first)
            .all(self.connection())
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                revision: r.revision,
                at: r.at,
                actor: r.actor_id.map(MemberId::from_uuid),
                action: r.action,
                subject: r.subject,
                reason: r.reason,
                hash: r.hash,
            })
            .collect())
    }

    /// A keyset page: the `first` decisions after `after`, newest first. It seeks through the
    /// `(organization_id, decided_at, id)` index instead of counting rows, so deep pages cost the
    /// same as the first.
    pub async fn decision_page(
        &self,
        org: OrganizationId,
        filter: &DecisionFilter,
        first: u64,
        after: Option<DecisionCursor>,
    ) -> Result<DecisionPage, StoreError> {
        if let Some(text) = filter.searched() {
            // Words are matched by the search index, in memory, on every backend alike (ADR
            // 0008); the `search_text` column is no longer read.
            let query = Query::parse(text).map_err(|e| StoreError::Rejected(Box::new(e)))?;
            let state = self.read(org, None).await?;
            return Ok(state
                .search
                .filter_page(&query, filter, first as usize, after));
        }
        let mut q = decisions::Entity::find()
            .select_only()
            .column(decisions::Column::Id)
            .column(decisions::Column::DecidedAt)
            .filter(decisions::Column::OrganizationId.eq(org.as_uuid()));
        if let Some(unit) = filter.unit {
            q = q.filter(decisions::Column::UnitId.eq(unit.as_uuid()));
        }
        if let Some(domain) = &filter.domain {
            q = q.filter(decisions::Column::Domain.eq(domain.as_str()));
        }
        if let Some(from) = filter.from {
            q = q.filter(decisions::Column::DecidedAt.gte(from));
        }
        if let Some(until) = filter.until {
            q = q.filter(decisions::Column::DecidedAt.lt(until));
        }
        // The core says which visibilities the reader's scope admits; the store only spells
        // them as stored.
        let admitted: Vec<&str> = Visibility::ALL
            .into_iter()
            .filter(|v| filter.scope.admits(*v))
            .map(codec::visibility_name)
            .collect();
        if admitted.len() < Visibility::ALL.len() {
            q = q.filter(decisions::Column::Visibility.is_in(admitted));
        }
        if let Some(c) = after {
            // The plain bound on `decided_at` lets the index seek to the cursor; the row
            // comparison alone (an OR) would make the database walk every newer row first.
            q = q.filter(decisions::Column::DecidedAt.lte(c.decided_at));
            q = q.filter(
                Condition::any()
                    .add(decisions::Column::DecidedAt.lt(c.decided_at))
                    .add(
                        Condition::all()
                            .add(decisions::Column::DecidedAt.eq(c.decided_at))
                            .add(decisions::Column::Id.lt(c.id)),
                    ),
            );
        }
        let rows: Vec<(Uuid, Instant)> = q
            .order_by_desc(decisions::Column::DecidedAt)
            .order_by_desc(decisions::Column::Id)
            .limit(first + 1)
            .into_tuple()
            .all(self.connection())
            .await?;
        let has_next = rows.len() as u64 > first;
        let rows: Vec<(Uuid, Instant)> = rows.into_iter().take(first as usize).collect();
        let end_cursor = rows.last().map(|(id, at)| DecisionCursor {
            decided_at: *at,
            id: *id,
        });
        Ok(DecisionPage {
            ids: rows.into_iter().map(|(id, _)| id).collect(),
            has_next,
            end_cursor,
        })
    }
}
