//! Which decisions each member has read (R11): the marks `catchUp` skips and `markRead` adds.
//! They are not governance: they live beside the log, outside its chain.

use super::entity::decision_reads;
use super::{Store, StoreError};
use governance_core::{DecisionId, Instant, MemberId, OrganizationId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::HashSet;
use uuid::Uuid;

impl Store {
    /// The decisions `member` has marked read.
    pub async fn reads_of(
        &self,
        org: OrganizationId,
        member: MemberId,
    ) -> Result<HashSet<DecisionId>, StoreError> {
        let ids = decision_reads::Entity::find()
            .select_only()
            .column(decision_reads::Column::DecisionId)
            .filter(decision_reads::Column::OrganizationId.eq(org.as_uuid()))
            .filter(decision_reads::Column::MemberId.eq(member.as_uuid()))
            .into_tuple::<Uuid>()
            .all(self.connection())
            .await?;
        Ok(ids.into_iter().map(DecisionId::from_uuid).collect())
    }

    /// Marks `decisions` read by `member` at `at`, in one transaction, ignoring those already
    /// read. Returns how many were newly marked.
    pub async fn mark_read(
        &self,
        org: OrganizationId,
        member: MemberId,
        decisions: &[DecisionId],
        at: Instant,
    ) -> Result<u64, StoreError> {
        let txn = self.begin_write().await?;
        let mut marked = 0;
        // One statement per chunk, ignoring decisions already read.
        for chunk in decisions.chunks(500) {
            let rows = chunk.iter().map(|d| decision_reads::ActiveModel {
                organization_id: Set(org.as_uuid()),
                member_id: Set(member.as_uuid()),
                decision_id: Set(d.as_uuid()),
                read_at: Set(at),
            });
            let res = decision_reads::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([
                        decision_reads::Column::MemberId,
                        decision_reads::Column::DecisionId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await;
            match res {
                Ok(n) => marked += n,
                Err(sea_orm::DbErr::RecordNotInserted) => {}
                Err(e) => return Err(e.into()),
            }
        }
        txn.commit().await?;
        Ok(marked)
    }
}
