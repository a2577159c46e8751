//! Creates `calendar_keys`: the key in a member's private calendar address
//! (`/calendar/{key}.ics`). One row per member of a movement; regenerating a key overwrites the
//! row, so the old address stops working at once. Only the key's SHA-256 is kept, unique, so a
//! request is looked up by the hash of the key it carries.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarKeys::Table)
                    .col(uuid(CalendarKeys::OrganizationId))
                    .col(uuid(CalendarKeys::MemberId))
                    .col(text(CalendarKeys::KeyHash))
                    .col(timestamp_with_time_zone(CalendarKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(CalendarKeys::OrganizationId)
                            .col(CalendarKeys::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_calendar_keys_member")
                            .from(CalendarKeys::Table, CalendarKeys::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_calendar_keys_key_hash")
                    .table(CalendarKeys::Table)
                    .col(CalendarKeys::KeyHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarKeys::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CalendarKeys {
    Table,
    OrganizationId,
    MemberId,
    KeyHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}
