//! Creates `tension_events`: the append-only history of each tension's status (open, scheduled,
//! processed, withdrawn), with who moved it, the meeting, the outcome and the decisions taken.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TensionEvents::Table)
                    .col(pk_uuid(TensionEvents::Id))
                    .col(uuid(TensionEvents::OrganizationId))
                    .col(uuid(TensionEvents::TensionId))
                    .col(timestamp_with_time_zone(TensionEvents::At))
                    .col(text(TensionEvents::Status))
                    // The member who raised, scheduled, processed or withdrew it.
                    .col(uuid(TensionEvents::ActorId))
                    .col(uuid_null(TensionEvents::MeetingId))
                    .col(text_null(TensionEvents::Outcome))
                    // A JSON array of decision ids, for a processed tension.
                    .col(text_null(TensionEvents::Decisions))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tension_events_organization")
                            .from(TensionEvents::Table, TensionEvents::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tension_events_tension")
                            .from(TensionEvents::Table, TensionEvents::TensionId)
                            .to(Tensions::Table, Tensions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tension_events_actor")
                            .from(TensionEvents::Table, TensionEvents::ActorId)
                            .to(Members::Table, Members::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tension_events_meeting")
                            .from(TensionEvents::Table, TensionEvents::MeetingId)
                            .to(Meetings::Table, Meetings::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TensionEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TensionEvents {
    Table,
    Id,
    OrganizationId,
    TensionId,
    At,
    Status,
    ActorId,
    MeetingId,
    Outcome,
    Decisions,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Tensions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}
