//! Indexes a unit's decisions in time order, for keyset pagination of a unit's decisions
//! (`organization_id = ? AND unit_id = ? AND (decided_at, id) < (?, ?) ORDER BY decided_at, id`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_decisions_organization_unit_decided_at")
                    .table(Decisions::Table)
                    .col(Decisions::OrganizationId)
                    .col(Decisions::UnitId)
                    .col(Decisions::DecidedAt)
                    .col(Decisions::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_decisions_organization_unit_decided_at")
                    .table(Decisions::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    OrganizationId,
    UnitId,
    DecidedAt,
    Id,
}
