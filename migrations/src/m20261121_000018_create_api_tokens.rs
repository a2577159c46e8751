//! Creates `api_tokens`: a member's API credentials, stored only as a hash of the token.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(uuid(ApiTokens::OrganizationId))
                    .col(uuid(ApiTokens::MemberId))
                    .col(text(ApiTokens::TokenHash))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .col(text(ApiTokens::Label))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_organization")
                            .from(ApiTokens::Table, ApiTokens::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_member")
                            .from(ApiTokens::Table, ApiTokens::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .index(
                        Index::create()
                            .name("uq_api_tokens_token_hash")
                            .unique()
                            .col(ApiTokens::TokenHash),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    OrganizationId,
    MemberId,
    TokenHash,
    CreatedAt,
    RevokedAt,
    Label,
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
