//! Creates `tensions`: a member's signal about a unit, a role in a unit or a rule, never about a
//! person (R13, R14), and the space that processes it; the status lives in `tension_events`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tensions::Table)
                    .col(pk_uuid(Tensions::Id))
                    .col(uuid(Tensions::OrganizationId))
                    .col(uuid(Tensions::RaisedBy))
                    .col(timestamp_with_time_zone(Tensions::RaisedAt))
                    // `unit`, `role` or `rule`; the matching columns below are set.
                    .col(text(Tensions::SubjectKind))
                    .col(uuid_null(Tensions::SubjectUnitId))
                    .col(text_null(Tensions::SubjectRole))
                    .col(text_null(Tensions::SubjectRule))
                    // `referent` (with `space_unit_id`), `gouvernance`, `fonctionnement`, ...
                    .col(text(Tensions::SpaceKind))
                    .col(uuid_null(Tensions::SpaceUnitId))
                    .col(text(Tensions::Title))
                    .col(text(Tensions::Description))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tensions_organization")
                            .from(Tensions::Table, Tensions::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tensions_raised_by")
                            .from(Tensions::Table, Tensions::RaisedBy)
                            .to(Members::Table, Members::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tensions_subject_unit")
                            .from(Tensions::Table, Tensions::SubjectUnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tensions_space_unit")
                            .from(Tensions::Table, Tensions::SpaceUnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Tensions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Tensions {
    Table,
    Id,
    OrganizationId,
    RaisedBy,
    RaisedAt,
    SubjectKind,
    SubjectUnitId,
    SubjectRole,
    SubjectRule,
    SpaceKind,
    SpaceUnitId,
    Title,
    Description,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}
