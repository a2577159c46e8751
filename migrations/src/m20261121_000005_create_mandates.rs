//! Creates `mandates`: one member's authority over a unit, or some of its domains, for the
//! half-open period `[starts_at, ends_at)`, granting power only once committed to (R3–R7).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Mandates::Table)
                    .col(pk_uuid(Mandates::Id))
                    .col(uuid(Mandates::OrganizationId))
                    .col(uuid(Mandates::HolderId))
                    .col(uuid(Mandates::UnitId))
                    // A JSON array of domains, or NULL for every domain of the unit.
                    .col(text_null(Mandates::Scope))
                    .col(text(Mandates::Role))
                    .col(timestamp_with_time_zone(Mandates::StartsAt))
                    .col(timestamp_with_time_zone(Mandates::EndsAt))
                    // The assigning decision; not a foreign key, see the crate documentation.
                    .col(uuid(Mandates::AssignedBy))
                    .col(timestamp_with_time_zone(Mandates::AssignedAt))
                    .col(timestamp_with_time_zone_null(Mandates::CommittedAt))
                    .col(timestamp_with_time_zone_null(Mandates::RevokedAt))
                    .col(uuid_null(Mandates::RevokedBy))
                    .col(uuid_null(Mandates::RenewsId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mandates_organization")
                            .from(Mandates::Table, Mandates::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mandates_holder")
                            .from(Mandates::Table, Mandates::HolderId)
                            .to(Members::Table, Members::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mandates_unit")
                            .from(Mandates::Table, Mandates::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mandates_renews")
                            .from(Mandates::Table, Mandates::RenewsId)
                            .to(Mandates::Table, Mandates::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Mandates::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Mandates {
    Table,
    Id,
    OrganizationId,
    HolderId,
    UnitId,
    Scope,
    Role,
    StartsAt,
    EndsAt,
    AssignedBy,
    AssignedAt,
    CommittedAt,
    RevokedAt,
    RevokedBy,
    RenewsId,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}
