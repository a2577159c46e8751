//! Creates `decision_reads`: which decisions a member has read and when, so they can catch up
//! on the others.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DecisionReads::Table)
                    .col(uuid(DecisionReads::OrganizationId))
                    .col(uuid(DecisionReads::MemberId))
                    .col(uuid(DecisionReads::DecisionId))
                    .col(timestamp_with_time_zone(DecisionReads::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(DecisionReads::MemberId)
                            .col(DecisionReads::DecisionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_reads_organization")
                            .from(DecisionReads::Table, DecisionReads::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_reads_member")
                            .from(DecisionReads::Table, DecisionReads::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_reads_decision")
                            .from(DecisionReads::Table, DecisionReads::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DecisionReads::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DecisionReads {
    Table,
    OrganizationId,
    MemberId,
    DecisionId,
    ReadAt,
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
enum Decisions {
    Table,
    Id,
}
