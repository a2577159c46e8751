//! Creates `decision_effects`: the governance changes a decision enacts, in order (R6, R19),
//! each as a kind and a JSON payload.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DecisionEffects::Table)
                    .col(uuid(DecisionEffects::OrganizationId))
                    .col(uuid(DecisionEffects::DecisionId))
                    .col(integer(DecisionEffects::Position))
                    // `create_unit`, `assign_mandate`, ... as `Effect::kind_name` gives.
                    .col(text(DecisionEffects::Kind))
                    .col(text(DecisionEffects::Payload))
                    .primary_key(
                        Index::create()
                            .col(DecisionEffects::DecisionId)
                            .col(DecisionEffects::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_effects_organization")
                            .from(DecisionEffects::Table, DecisionEffects::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_effects_decision")
                            .from(DecisionEffects::Table, DecisionEffects::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DecisionEffects::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DecisionEffects {
    Table,
    OrganizationId,
    DecisionId,
    Position,
    Kind,
    Payload,
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
