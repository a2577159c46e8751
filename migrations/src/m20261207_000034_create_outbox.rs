//! Creates what reaches members and other tools outside the API: the durable `outbox` (every
//! e-mail and webhook delivery, written in the transaction of what causes it, sent at least
//! once and keyed so that a second sending is recognised), each member's `mail_preferences`,
//! and the `webhooks` a movement's Coordination registers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(uuid(Outbox::Id).primary_key())
                    .col(uuid(Outbox::OrganizationId))
                    // One message per cause: a second insert of the same key does nothing, and
                    // the key travels with the message (Message-ID, delivery id) so that a
                    // receiver can drop a copy sent again after a crash.
                    .col(text(Outbox::IdempotencyKey).unique_key())
                    .col(text(Outbox::Channel))
                    .col(text(Outbox::Recipient))
                    .col(uuid_null(Outbox::MemberId))
                    .col(uuid_null(Outbox::WebhookId))
                    .col(text_null(Outbox::Subject))
                    .col(text(Outbox::Body))
                    .col(text(Outbox::Status))
                    .col(integer(Outbox::Attempts))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Outbox::LeaseUntil))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_organization")
                            .from(Outbox::Table, Outbox::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailPreferences::Table)
                    .col(uuid(MailPreferences::OrganizationId))
                    .col(uuid(MailPreferences::MemberId))
                    .col(text(MailPreferences::Cadence))
                    // Reminders and convocations; the one-click link turns both off.
                    .col(boolean(MailPreferences::Reminders))
                    // A JSON array of unit ids; NULL follows the units the member sits in.
                    .col(text_null(MailPreferences::FollowedUnits))
                    .col(text(MailPreferences::UnsubscribeKey).unique_key())
                    .col(timestamp_with_time_zone_null(MailPreferences::LastDigestAt))
                    .col(timestamp_with_time_zone(MailPreferences::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(MailPreferences::OrganizationId)
                            .col(MailPreferences::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mail_preferences_member")
                            .from(MailPreferences::Table, MailPreferences::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(uuid(Webhooks::Id).primary_key())
                    .col(uuid(Webhooks::OrganizationId))
                    .col(text(Webhooks::Url))
                    .col(text(Webhooks::Secret))
                    .col(boolean(Webhooks::Public))
                    .col(text(Webhooks::Events))
                    .col(uuid(Webhooks::CreatedBy))
                    .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                    .col(timestamp_with_time_zone_null(Webhooks::DisabledAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhooks_organization")
                            .from(Webhooks::Table, Webhooks::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Webhooks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MailPreferences::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    OrganizationId,
    IdempotencyKey,
    Channel,
    Recipient,
    MemberId,
    WebhookId,
    Subject,
    Body,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum MailPreferences {
    Table,
    OrganizationId,
    MemberId,
    Cadence,
    Reminders,
    FollowedUnits,
    UnsubscribeKey,
    LastDigestAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    OrganizationId,
    Url,
    Secret,
    Public,
    Events,
    CreatedBy,
    CreatedAt,
    DisabledAt,
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
