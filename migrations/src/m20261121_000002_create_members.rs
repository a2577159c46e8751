//! Creates `members`: the people of a movement, each with a membership period `[joined_at,
//! left_at)` and the decisions that admitted and removed them (R17); an address belongs to at
//! most one member of a movement.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Members::Table)
                    .col(pk_uuid(Members::Id))
                    .col(uuid(Members::OrganizationId))
                    .col(text(Members::Name))
                    .col(text(Members::Email))
                    .col(timestamp_with_time_zone(Members::JoinedAt))
                    // The admitting decision; not a foreign key, see the crate documentation.
                    .col(uuid(Members::AdmittedBy))
                    .col(timestamp_with_time_zone_null(Members::LeftAt))
                    .col(uuid_null(Members::LeftBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_members_organization")
                            .from(Members::Table, Members::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .index(
                        Index::create()
                            .name("uq_members_organization_email")
                            .unique()
                            .col(Members::OrganizationId)
                            .col(Members::Email),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Members::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    OrganizationId,
    Name,
    Email,
    JoinedAt,
    AdmittedBy,
    LeftAt,
    LeftBy,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
