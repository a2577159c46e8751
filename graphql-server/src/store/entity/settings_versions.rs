//! Rows of `settings_versions`: every version of a movement's rules of functioning with the
//! decision that adopted it (R19), so a past date is judged by the rules in force then.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "settings_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub effective_at: DateTimeUtc,
    /// The adopting decision; unlike the `*_by` columns of earlier tables, a foreign key.
    pub adopted_by: Uuid,
    /// The settings as a JSON object.
    #[sea_orm(column_type = "Text")]
    pub settings: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_settings_versions_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::decisions::Entity",
        from = "Column::AdoptedBy",
        to = "super::decisions::Column::Id",
        fk_name = "fk_settings_versions_adopted_by"
    )]
    AdoptedBy,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::decisions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AdoptedBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
