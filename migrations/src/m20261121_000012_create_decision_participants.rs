//! Creates `decision_participants`: everyone who took a body's decision and shares
//! responsibility for it (R10), each member once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DecisionParticipants::Table)
                    .col(uuid(DecisionParticipants::OrganizationId))
                    .col(uuid(DecisionParticipants::DecisionId))
                    .col(uuid(DecisionParticipants::MemberId))
                    .primary_key(
                        Index::create()
                            .col(DecisionParticipants::DecisionId)
                            .col(DecisionParticipants::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_participants_organization")
                            .from(
                                DecisionParticipants::Table,
                                DecisionParticipants::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_participants_decision")
                            .from(
                                DecisionParticipants::Table,
                                DecisionParticipants::DecisionId,
                            )
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_participants_member")
                            .from(DecisionParticipants::Table, DecisionParticipants::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DecisionParticipants::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DecisionParticipants {
    Table,
    OrganizationId,
    DecisionId,
    MemberId,
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
