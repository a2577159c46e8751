//! Rows of `tensions`: a member's signal about a unit, a role in a unit or a rule, never about a
//! person (R13, R14), and the space that processes it; the status lives in `tension_events`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tensions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub raised_by: Uuid,
    pub raised_at: DateTimeUtc,
    /// `unit`, `role` or `rule`; the matching `subject_*` columns are set.
    #[sea_orm(column_type = "Text")]
    pub subject_kind: String,
    pub subject_unit_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub subject_role: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub subject_rule: Option<String>,
    /// `referent` (with `space_unit_id`), `gouvernance`, `fonctionnement`, ...
    #[sea_orm(column_type = "Text")]
    pub space_kind: String,
    pub space_unit_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
}

/// Two relations lead to `units` (subject and space), so there is no `Related<units::Entity>`:
/// join with `Relation::SubjectUnit` or `Relation::SpaceUnit` explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_tensions_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::RaisedBy",
        to = "super::members::Column::Id",
        fk_name = "fk_tensions_raised_by"
    )]
    RaisedBy,
    #[sea_orm(
        belongs_to = "super::units::Entity",
        from = "Column::SubjectUnitId",
        to = "super::units::Column::Id",
        fk_name = "fk_tensions_subject_unit"
    )]
    SubjectUnit,
    #[sea_orm(
        belongs_to = "super::units::Entity",
        from = "Column::SpaceUnitId",
        to = "super::units::Column::Id",
        fk_name = "fk_tensions_space_unit"
    )]
    SpaceUnit,
    #[sea_orm(has_many = "super::tension_events::Entity")]
    Events,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RaisedBy.def()
    }
}

impl Related<super::tension_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Events.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
