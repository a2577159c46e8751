//! Creates `meetings`: Gouvernance, Fonctionnement, unit and Agora meetings (R2, R10); `unit_id`
//! is set for a unit's meeting only.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(pk_uuid(Meetings::Id))
                    .col(uuid(Meetings::OrganizationId))
                    .col(text(Meetings::Kind))
                    .col(uuid_null(Meetings::UnitId))
                    .col(timestamp_with_time_zone(Meetings::HeldAt))
                    .col(timestamp_with_time_zone(Meetings::ScheduledAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_meetings_organization")
                            .from(Meetings::Table, Meetings::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_meetings_unit")
                            .from(Meetings::Table, Meetings::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Meetings::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    OrganizationId,
    Kind,
    UnitId,
    HeldAt,
    ScheduledAt,
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
