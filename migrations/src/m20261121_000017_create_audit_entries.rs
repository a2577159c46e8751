//! Creates `audit_entries`: the append-only, hash-chained trail of everything done to a
//! movement, one entry per revision.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntries::Table)
                    .col(pk_uuid(AuditEntries::Id))
                    .col(uuid(AuditEntries::OrganizationId))
                    .col(big_integer(AuditEntries::Revision))
                    .col(timestamp_with_time_zone(AuditEntries::At))
                    // NULL when the system acted, not a member.
                    .col(uuid_null(AuditEntries::ActorId))
                    .col(text(AuditEntries::Action))
                    .col(text(AuditEntries::Subject))
                    .col(text_null(AuditEntries::Reason))
                    .col(text(AuditEntries::Payload))
                    // Hex digests; `prev_hash` is NULL for the first entry of a movement.
                    .col(text_null(AuditEntries::PrevHash))
                    .col(text(AuditEntries::Hash))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_entries_organization")
                            .from(AuditEntries::Table, AuditEntries::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_entries_actor")
                            .from(AuditEntries::Table, AuditEntries::ActorId)
                            .to(Members::Table, Members::Id),
                    )
                    .index(
                        Index::create()
                            .name("uq_audit_entries_organization_revision")
                            .unique()
                            .col(AuditEntries::OrganizationId)
                            .col(AuditEntries::Revision),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEntries::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Id,
    OrganizationId,
    Revision,
    At,
    ActorId,
    Action,
    Subject,
    Reason,
    Payload,
    PrevHash,
    Hash,
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
