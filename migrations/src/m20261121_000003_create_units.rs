//! Creates `units`: the Agora, the Coordination, Pôles, Comités and working groups as a tree
//! (R1), each created and possibly archived by a decision.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(pk_uuid(Units::Id))
                    .col(uuid(Units::OrganizationId))
                    .col(text(Units::Name))
                    .col(text(Units::Kind))
                    .col(uuid_null(Units::ParentId))
                    .col(timestamp_with_time_zone(Units::CreatedAt))
                    // The creating decision; not a foreign key, see the crate documentation.
                    .col(uuid(Units::CreatedBy))
                    .col(timestamp_with_time_zone_null(Units::ArchivedAt))
                    .col(uuid_null(Units::ArchivedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_units_organization")
                            .from(Units::Table, Units::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_units_parent")
                            .from(Units::Table, Units::ParentId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Units::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    OrganizationId,
    Name,
    Kind,
    ParentId,
    CreatedAt,
    CreatedBy,
    ArchivedAt,
    ArchivedBy,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
