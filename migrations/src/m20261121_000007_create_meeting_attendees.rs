//! Creates `meeting_attendees`: who attended a meeting, each member once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MeetingAttendees::Table)
                    .col(uuid(MeetingAttendees::OrganizationId))
                    .col(uuid(MeetingAttendees::MeetingId))
                    .col(uuid(MeetingAttendees::MemberId))
                    .primary_key(
                        Index::create()
                            .col(MeetingAttendees::MeetingId)
                            .col(MeetingAttendees::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_meeting_attendees_organization")
                            .from(MeetingAttendees::Table, MeetingAttendees::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_meeting_attendees_meeting")
                            .from(MeetingAttendees::Table, MeetingAttendees::MeetingId)
                            .to(Meetings::Table, Meetings::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_meeting_attendees_member")
                            .from(MeetingAttendees::Table, MeetingAttendees::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MeetingAttendees::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MeetingAttendees {
    Table,
    OrganizationId,
    MeetingId,
    MemberId,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}
