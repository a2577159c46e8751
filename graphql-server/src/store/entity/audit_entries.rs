//! Rows of `audit_entries`: the append-only, hash-chained trail of everything done to a
//! movement, one entry per revision.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Unique per organisation (`uq_audit_entries_organization_revision`).
    pub revision: i64,
    pub at: DateTimeUtc,
    /// `None` when the system acted, not a member.
    pub actor_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub action: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    /// Hex digest of the previous entry; `None` for the first entry of a movement.
    #[sea_orm(column_type = "Text")]
    pub prev_hash: Option<String>,
    /// Hex digest of this entry.
    #[sea_orm(column_type = "Text")]
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_audit_entries_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::ActorId",
        to = "super::members::Column::Id",
        fk_name = "fk_audit_entries_actor"
    )]
    Actor,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Actor.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
