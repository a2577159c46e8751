//! Indexes tensions by the space that processes them, for "the open tensions of this space"
//! (`organization_id = ? AND space_kind = ?`, plus `space_unit_id = ?` for a referent, oldest
//! first); whether one is still open is read from `tension_events`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_tensions_organization_space")
                    .table(Tensions::Table)
                    .col(Tensions::OrganizationId)
                    .col(Tensions::SpaceKind)
                    .col(Tensions::SpaceUnitId)
                    .col(Tensions::RaisedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_tensions_organization_space")
                    .table(Tensions::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Tensions {
    Table,
    OrganizationId,
    SpaceKind,
    SpaceUnitId,
    RaisedAt,
}
