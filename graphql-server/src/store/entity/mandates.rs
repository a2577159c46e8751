//! Rows of `mandates`: one member's authority over a unit, or some of its domains, for the
//! half-open period `[starts_at, ends_at)`, granting power only once committed to (R3–R7).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mandates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub holder_id: Uuid,
    pub unit_id: Uuid,
    /// A JSON array of domains, or `None` for every domain of the unit.
    #[sea_orm(column_type = "Text")]
    pub scope: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub role: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// The assigning decision; a plain column, not a foreign key.
    pub assigned_by: Uuid,
    pub assigned_at: DateTimeUtc,
    pub committed_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    /// The revoking decision; a plain column, not a foreign key.
    pub revoked_by: Option<Uuid>,
    /// The mandate this one renews.
    pub renews_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        fk_name = "fk_mandates_organization"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::HolderId",
        to = "super::members::Column::Id",
        fk_name = "fk_mandates_holder"
    )]
    Holder,
    #[sea_orm(
        belongs_to = "super::units::Entity",
        from = "Column::UnitId",
        to = "super::units::Column::Id",
        fk_name = "fk_mandates_unit"
    )]
    Unit,
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::RenewsId",
        to = "Column::Id",
        fk_name = "fk_mandates_renews"
    )]
    Renews,
    #[sea_orm(has_many = "super::account_reports::Entity")]
    AccountReports,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Holder.def()
    }
}

impl Related<super::units::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Unit.def()
    }
}

impl Related<super::account_reports::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AccountReports.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
