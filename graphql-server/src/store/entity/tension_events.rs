//! Rows of `tension_events`: the append-only history of each tension's status (open, scheduled,
//! processed, withdrawn), with who moved it, the meeting, the outcome and the decisions taken.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tension_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub tension_id: Uuid,
    pub at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    /// The member who raised, scheduled, processed or withdrew the tension.
    pub actor_id: Uuid,
    pub meeting_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub outcome: Option<String>,
    /// A JSON array of decision ids, for a processed tension; not a foreign key.
    #[sea_orm(column_type = "Text")]
    pub decisions: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_tension_events_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::tensions::Entity",
        from = "Column::TensionId",
        to = "super::tensions::Column::Id",
        fk_name = "fk_tension_events_tension"
    )]
    Tension,
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::ActorId",
        to = "super::members::Column::Id",
        fk_name = "fk_tension_events_actor"
    )]
    Actor,
    #[sea_orm(
        belongs_to = "super::meetings::Entity",
        from = "Column::MeetingId",
        to = "super::meetings::Column::Id",
        fk_name = "fk_tension_events_meeting"
    )]
    Meeting,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::tensions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tension.def()
    }
}

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Actor.def()
    }
}

impl Related<super::meetings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Meeting.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
