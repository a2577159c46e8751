//! Rows of `decisions`: the movement's append-only decision log (R8–R12), with each record's
//! place in the organisation's hash chain and the canonical encoding that was hashed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Position in the organisation's decision chain, from 1; unique per organisation.
    pub seq: i64,
    /// The organisation's revision (event count) once this decision was applied.
    pub revision: i64,
    pub unit_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub domain: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub statement: String,
    #[sea_orm(column_type = "Text")]
    pub rationale: String,
    pub decided_at: DateTimeUtc,
    pub effective_from: Option<DateTimeUtc>,
    pub effective_until: Option<DateTimeUtc>,
    /// `holder` or `body`.
    #[sea_orm(column_type = "Text")]
    pub decider_kind: String,
    /// The mandate that gave authority, if any.
    pub mandate_id: Option<Uuid>,
    pub meeting_id: Option<Uuid>,
    /// JSON: this unit, a list of units, or movement-wide.
    #[sea_orm(column_type = "Text")]
    pub impact: String,
    #[sea_orm(column_type = "Text")]
    pub visibility: String,
    pub tension_id: Option<Uuid>,
    /// Hex digest of the previous decision; `None` for the first decision of a movement.
    #[sea_orm(column_type = "Text")]
    pub prev_hash: Option<String>,
    /// Hex digest of this decision.
    #[sea_orm(column_type = "Text")]
    pub hash: String,
    /// The canonical encoding that `hash` covers.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    /// Title and statement, lower-cased with Unicode rules, for text search.
    #[sea_orm(column_type = "Text", nullable)]
    pub search_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_decisions_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::units::Entity",
        from = "Column::UnitId",
        to = "super::units::Column::Id",
        fk_name = "fk_decisions_unit"
    )]
    Unit,
    #[sea_orm(
        belongs_to = "super::mandates::Entity",
        from = "Column::MandateId",
        to = "super::mandates::Column::Id",
        fk_name = "fk_decisions_mandate"
    )]
    Mandate,
    #[sea_orm(
        belongs_to = "super::meetings::Entity",
        from = "Column::MeetingId",
        to = "super::meetings::Column::Id",
        fk_name = "fk_decisions_meeting"
    )]
    Meeting,
    #[sea_orm(
        belongs_to = "super::tensions::Entity",
        from = "Column::TensionId",
        to = "super::tensions::Column::Id",
        fk_name = "fk_decisions_tension"
    )]
    Tension,
    #[sea_orm(has_many = "super::consultations::Entity")]
    Consultations,
    #[sea_orm(has_many = "super::decision_participants::Entity")]
    Participants,
    /// The links this decision makes to earlier ones.
    #[sea_orm(has_many = "super::decision_links::Entity")]
    Links,
    /// The links later decisions make to this one.
    #[sea_orm(
        has_many = "super::decision_links::Entity",
        via_rel = "Relation::Target"
    )]
    LinkedBy,
    #[sea_orm(has_many = "super::decision_effects::Entity")]
    Effects,
    #[sea_orm(has_many = "super::decision_reads::Entity")]
    Reads,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::units::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Unit.def()
    }
}

impl Related<super::mandates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mandate.def()
    }
}

impl Related<super::meetings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Meeting.def()
    }
}

impl Related<super::tensions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tension.def()
    }
}

impl Related<super::consultations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Consultations.def()
    }
}

impl Related<super::decision_participants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participants.def()
    }
}

/// The outgoing links; use `Relation::LinkedBy` for the incoming ones.
impl Related<super::decision_links::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Links.def()
    }
}

impl Related<super::decision_effects::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Effects.def()
    }
}

impl Related<super::decision_reads::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Reads.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
