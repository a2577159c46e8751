//! Rows of `decision_links`: which earlier decisions a decision amends, supersedes or revokes
//! (R12); the earlier record itself is never edited.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decision_links")]
pub struct Model {
    pub organization_id: Uuid,
    /// The later decision, the one that makes the link.
    #[sea_orm(primary_key, auto_increment = false)]
    pub decision_id: Uuid,
    /// `amends`, `supersedes` or `revokes`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub kind: String,
    /// The earlier decision, the one the link points at.
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_id: Uuid,
}

/// Both `Decision` and `Target` lead to `decisions`; `Related<decisions::Entity>` follows
/// `Decision`, so join with `Relation::Target` explicitly for the earlier decision.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_decision_links_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::decisions::Entity",
        from = "Column::DecisionId",
        to = "super::decisions::Column::Id",
        fk_name = "fk_decision_links_decision"
    )]
    Decision,
    #[sea_orm(
        belongs_to = "super::decisions::Entity",
        from = "Column::TargetId",
        to = "super::decisions::Column::Id",
        fk_name = "fk_decision_links_target"
    )]
    Target,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::decisions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Decision.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
