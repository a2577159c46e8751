//! Creates `settings_versions`: every version of a movement's rules of functioning with the
//! decision that adopted it (R19), so a past date is judged by the rules in force then.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SettingsVersions::Table)
                    .col(pk_uuid(SettingsVersions::Id))
                    .col(uuid(SettingsVersions::OrganizationId))
                    .col(timestamp_with_time_zone(SettingsVersions::EffectiveAt))
                    .col(uuid(SettingsVersions::AdoptedBy))
                    // The settings as a JSON object.
                    .col(text(SettingsVersions::Settings))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_settings_versions_organization")
                            .from(SettingsVersions::Table, SettingsVersions::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_settings_versions_adopted_by")
                            .from(SettingsVersions::Table, SettingsVersions::AdoptedBy)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SettingsVersions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SettingsVersions {
    Table,
    Id,
    OrganizationId,
    EffectiveAt,
    AdoptedBy,
    Settings,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
}
