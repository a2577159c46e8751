//! Creates `decision_links`: which earlier decisions a decision amends, supersedes or revokes
//! (R12); the earlier record itself is never edited.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DecisionLinks::Table)
                    .col(uuid(DecisionLinks::OrganizationId))
                    .col(uuid(DecisionLinks::DecisionId))
                    // `amends`, `supersedes` or `revokes`.
                    .col(text(DecisionLinks::Kind))
                    .col(uuid(DecisionLinks::TargetId))
                    .primary_key(
                        Index::create()
                            .col(DecisionLinks::DecisionId)
                            .col(DecisionLinks::Kind)
                            .col(DecisionLinks::TargetId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_links_organization")
                            .from(DecisionLinks::Table, DecisionLinks::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_links_decision")
                            .from(DecisionLinks::Table, DecisionLinks::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_links_target")
                            .from(DecisionLinks::Table, DecisionLinks::TargetId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DecisionLinks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DecisionLinks {
    Table,
    OrganizationId,
    DecisionId,
    Kind,
    TargetId,
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
