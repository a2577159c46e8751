//! Creates `consultations`: who was consulted before a decision, when, and what they said (R8);
//! `position` keeps the order the decider gave, since one person may be consulted twice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Consultations::Table)
                    .col(uuid(Consultations::OrganizationId))
                    .col(uuid(Consultations::DecisionId))
                    .col(integer(Consultations::Position))
                    .col(uuid(Consultations::MemberId))
                    .col(timestamp_with_time_zone(Consultations::ConsultedAt))
                    .col(text(Consultations::Stance))
                    .col(text(Consultations::Said))
                    .primary_key(
                        Index::create()
                            .col(Consultations::DecisionId)
                            .col(Consultations::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consultations_organization")
                            .from(Consultations::Table, Consultations::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consultations_decision")
                            .from(Consultations::Table, Consultations::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consultations_member")
                            .from(Consultations::Table, Consultations::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Consultations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Consultations {
    Table,
    OrganizationId,
    DecisionId,
    Position,
    MemberId,
    ConsultedAt,
    Stance,
    Said,
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

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}
