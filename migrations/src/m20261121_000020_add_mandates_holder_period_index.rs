//! Indexes a member's mandates by period, for "which mandates did this member hold around
//! this date" (`holder_id = ? AND starts_at <= ? AND ends_at > ?`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_mandates_holder_period")
                    .table(Mandates::Table)
                    .col(Mandates::HolderId)
                    .col(Mandates::StartsAt)
                    .col(Mandates::EndsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_mandates_holder_period")
                    .table(Mandates::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Mandates {
    Table,
    HolderId,
    StartsAt,
    EndsAt,
}
