//! Adds `decisions.search_text`: the title and statement, lower-cased by the server with full
//! Unicode rules, so that text search ignores case on both backends (SQLite's `lower()` only
//! folds ASCII, so "Événements" would not match "événements").

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Decisions::Table)
                    .add_column(ColumnDef::new(Decisions::SearchText).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Decisions::Table)
                    .drop_column(Decisions::SearchText)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    SearchText,
}
