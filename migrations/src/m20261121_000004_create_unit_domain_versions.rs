//! Creates `unit_domain_versions`: every set of decision domains a unit has had, with the
//! instant it took effect, so a past date sees the unit's domains as they were.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UnitDomainVersions::Table)
                    .col(pk_uuid(UnitDomainVersions::Id))
                    .col(uuid(UnitDomainVersions::OrganizationId))
                    .col(uuid(UnitDomainVersions::UnitId))
                    .col(timestamp_with_time_zone(UnitDomainVersions::EffectiveAt))
                    // A JSON array of domain names.
                    .col(text(UnitDomainVersions::Domains))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_unit_domain_versions_organization")
                            .from(
                                UnitDomainVersions::Table,
                                UnitDomainVersions::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_unit_domain_versions_unit")
                            .from(UnitDomainVersions::Table, UnitDomainVersions::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UnitDomainVersions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum UnitDomainVersions {
    Table,
    Id,
    OrganizationId,
    UnitId,
    EffectiveAt,
    Domains,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}
