//! Rows of `organizations`: one per movement using Gouvernail.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// The movement's address (`/m/{slug}/graphql`). Nullable in the schema (SQLite adds no
    /// NOT NULL column simply), never NULL in fact: the migration filled the rows it found,
    /// `Store::found_at` writes every new one.
    #[sea_orm(column_type = "Text")]
    pub slug: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
