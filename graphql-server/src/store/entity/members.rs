//! Rows of `members`: the people of a movement, each with a membership period
//! `[joined_at, left_at)` and the decisions that admitted and removed them (R17).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// Unique within the organization (`uq_members_organization_email`).
    #[sea_orm(column_type = "Text")]
    pub email: String,
    pub joined_at: DateTimeUtc,
    /// The admitting decision; a plain column, not a foreign key.
    pub admitted_by: Uuid,
    pub left_at: Option<DateTimeUtc>,
    /// The removing decision; a plain column, not a foreign key.
    pub left_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_members_organization"
    )]
    Organization,
    #[sea_orm(has_many = "super::mandates::Entity")]
    Mandates,
    #[sea_orm(has_many = "super::api_tokens::Entity")]
    ApiTokens,
    #[sea_orm(has_many = "super::decision_reads::Entity")]
    DecisionReads,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::mandates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mandates.def()
    }
}

impl Related<super::api_tokens::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiTokens.def()
    }
}

impl Related<super::decision_reads::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DecisionReads.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
