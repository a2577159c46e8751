//! Indexes a tension's status history in time order, for its current status and for the
//! "still open" test of the open-tensions query.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_tension_events_tension_at")
                    .table(TensionEvents::Table)
                    .col(TensionEvents::TensionId)
                    .col(TensionEvents::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_tension_events_tension_at")
                    .table(TensionEvents::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum TensionEvents {
    Table,
    TensionId,
    At,
}
