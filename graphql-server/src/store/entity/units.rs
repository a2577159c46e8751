//! Rows of `units`: the Agora, the Coordination, Pôles, Comités and working groups as a tree
//! (R1), each created and possibly archived by a decision.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    /// `None` for the root of the tree, the Agora.
    pub parent_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// The creating decision; a plain column, not a foreign key.
    pub created_by: Uuid,
    pub archived_at: Option<DateTimeUtc>,
    /// The archiving decision; a plain column, not a foreign key.
    pub archived_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_units_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentId",
        to = "Column::Id",
        fk_name = "fk_units_parent"
    )]
    Parent,
    #[sea_orm(has_many = "super::unit_domain_versions::Entity")]
    DomainVersions,
    #[sea_orm(has_many = "super::mandates::Entity")]
    Mandates,
    #[sea_orm(has_many = "super::decisions::Entity")]
    Decisions,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::unit_domain_versions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DomainVersions.def()
    }
}

impl Related<super::mandates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mandates.def()
    }
}

impl Related<super::decisions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Decisions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
