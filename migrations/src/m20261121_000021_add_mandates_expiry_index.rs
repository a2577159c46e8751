//! Indexes a movement's mandates by end, for "which mandates expire soon"
//! (`organization_id = ? AND ends_at BETWEEN ? AND ?`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_mandates_organization_ends_at")
                    .table(Mandates::Table)
                    .col(Mandates::OrganizationId)
                    .col(Mandates::EndsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_mandates_organization_ends_at")
                    .table(Mandates::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Mandates {
    Table,
    OrganizationId,
    EndsAt,
}
