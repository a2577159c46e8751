//! Creates the web interface's credentials: `signin_links` (a single-use, short-lived link sent
//! by e-mail) and `web_sessions` (what the link opens: a row the server can revoke, with an idle
//! expiry). Both keep only a hash of the secret the browser or the mailbox holds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SigninLinks::Table)
                    .col(text(SigninLinks::TokenHash).primary_key())
                    .col(uuid(SigninLinks::OrganizationId))
                    .col(uuid(SigninLinks::MemberId))
                    .col(timestamp_with_time_zone(SigninLinks::CreatedAt))
                    .col(timestamp_with_time_zone(SigninLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SigninLinks::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_signin_links_member")
                            .from(SigninLinks::Table, SigninLinks::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebSessions::Table)
                    .col(text(WebSessions::TokenHash).primary_key())
                    .col(uuid(WebSessions::OrganizationId))
                    .col(uuid(WebSessions::MemberId))
                    .col(text(WebSessions::Csrf))
                    .col(timestamp_with_time_zone(WebSessions::CreatedAt))
                    .col(timestamp_with_time_zone(WebSessions::LastSeenAt))
                    .col(timestamp_with_time_zone_null(WebSessions::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_web_sessions_member")
                            .from(WebSessions::Table, WebSessions::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_web_sessions_member")
                    .table(WebSessions::Table)
                    .col(WebSessions::MemberId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebSessions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SigninLinks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SigninLinks {
    Table,
    TokenHash,
    OrganizationId,
    MemberId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum WebSessions {
    Table,
    TokenHash,
    OrganizationId,
    MemberId,
    Csrf,
    CreatedAt,
    LastSeenAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}
