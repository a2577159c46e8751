//! Creates `account_reports`: the account a mandate holder renders for part of their mandate
//! (R16).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountReports::Table)
                    .col(pk_uuid(AccountReports::Id))
                    .col(uuid(AccountReports::OrganizationId))
                    .col(uuid(AccountReports::MandateId))
                    .col(uuid(AccountReports::AuthorId))
                    .col(timestamp_with_time_zone(AccountReports::CoversFrom))
                    .col(timestamp_with_time_zone(AccountReports::CoversUntil))
                    .col(timestamp_with_time_zone(AccountReports::SubmittedAt))
                    .col(text(AccountReports::Summary))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_reports_organization")
                            .from(AccountReports::Table, AccountReports::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_reports_mandate")
                            .from(AccountReports::Table, AccountReports::MandateId)
                            .to(Mandates::Table, Mandates::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_reports_author")
                            .from(AccountReports::Table, AccountReports::AuthorId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountReports::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountReports {
    Table,
    Id,
    OrganizationId,
    MandateId,
    AuthorId,
    CoversFrom,
    CoversUntil,
    SubmittedAt,
    Summary,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Mandates {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}
