//! Rows of `account_reports`: the account a mandate holder renders for part of their mandate
//! (R16).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub mandate_id: Uuid,
    pub author_id: Uuid,
    pub covers_from: DateTimeUtc,
    pub covers_until: DateTimeUtc,
    pub submitted_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_account_reports_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::mandates::Entity",
        from = "Column::MandateId",
        to = "super::mandates::Column::Id",
        fk_name = "fk_account_reports_mandate"
    )]
    Mandate,
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::AuthorId",
        to = "super::members::Column::Id",
        fk_name = "fk_account_reports_author"
    )]
    Author,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::mandates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mandate.def()
    }
}

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Author.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
