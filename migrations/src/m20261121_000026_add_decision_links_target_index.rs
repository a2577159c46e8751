//! Indexes decision links by target, for "which later decisions amend, supersede or revoke this
//! one" (R12).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_decision_links_target")
                    .table(DecisionLinks::Table)
                    .col(DecisionLinks::TargetId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_decision_links_target")
                    .table(DecisionLinks::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum DecisionLinks {
    Table,
    TargetId,
}
