//! Rows of `calendar_keys`: the key of each member's private calendar address, kept only as a
//! SHA-256 hash; one row per member of a movement, overwritten when the key is regenerated.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: Uuid,
    /// SHA-256 of the key, hex; unique, so a request is looked up by it.
    #[sea_orm(column_type = "Text", unique)]
    pub key_hash: String,
    /// When this key was made (a regeneration moves it forward).
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::MemberId",
        to = "super::members::Column::Id",
        fk_name = "fk_calendar_keys_member"
    )]
    Member,
}

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
