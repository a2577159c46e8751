//! Rows of `consultations`: who was consulted before a decision, when, and what they said (R8),
//! in the order the decider gave, since one person may be consulted twice.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub decision_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub member_id: Uuid,
    pub consulted_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub stance: String,
    #[sea_orm(column_type = "Text")]
    pub said: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_consultations_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::decisions::Entity",
        from = "Column::DecisionId",
        to = "super::decisions::Column::Id",
        fk_name = "fk_consultations_decision"
    )]
    Decision,
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::MemberId",
        to = "super::members::Column::Id",
        fk_name = "fk_consultations_member"
    )]
    Member,
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

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
