//! Creates `decisions`: the movement's append-only decision log (R8–R12). Each record keeps who
//! decided what, where and under which mandate or in which meeting, its place in the
//! organisation's hash chain (`seq`, `prev_hash`, `hash`) and the canonical encoding that was
//! hashed (`payload`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .col(pk_uuid(Decisions::Id))
                    .col(uuid(Decisions::OrganizationId))
                    // Position in the organisation's decision chain, from 1.
                    .col(big_integer(Decisions::Seq))
                    // The organisation's revision (event count) once this decision was applied.
                    .col(big_integer(Decisions::Revision))
                    .col(uuid(Decisions::UnitId))
                    .col(text(Decisions::Domain))
                    .col(text(Decisions::Title))
                    .col(text(Decisions::Statement))
                    .col(text(Decisions::Rationale))
                    .col(timestamp_with_time_zone(Decisions::DecidedAt))
                    .col(timestamp_with_time_zone_null(Decisions::EffectiveFrom))
                    .col(timestamp_with_time_zone_null(Decisions::EffectiveUntil))
                    // `holder` or `body`.
                    .col(text(Decisions::DeciderKind))
                    // The mandate that gave authority, if any.
                    .col(uuid_null(Decisions::MandateId))
                    .col(uuid_null(Decisions::MeetingId))
                    // JSON: this unit, a list of units, or movement-wide.
                    .col(text(Decisions::Impact))
                    .col(text(Decisions::Visibility))
                    .col(uuid_null(Decisions::TensionId))
                    // Hex digests; `prev_hash` is NULL for the first decision of a movement.
                    .col(text_null(Decisions::PrevHash))
                    .col(text(Decisions::Hash))
                    .col(text(Decisions::Payload))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_organization")
                            .from(Decisions::Table, Decisions::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_unit")
                            .from(Decisions::Table, Decisions::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_mandate")
                            .from(Decisions::Table, Decisions::MandateId)
                            .to(Mandates::Table, Mandates::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_meeting")
                            .from(Decisions::Table, Decisions::MeetingId)
                            .to(Meetings::Table, Meetings::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_tension")
                            .from(Decisions::Table, Decisions::TensionId)
                            .to(Tensions::Table, Tensions::Id),
                    )
                    .index(
                        Index::create()
                            .name("uq_decisions_organization_seq")
                            .unique()
                            .col(Decisions::OrganizationId)
                            .col(Decisions::Seq),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Decisions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
    OrganizationId,
    Seq,
    Revision,
    UnitId,
    Domain,
    Title,
    Statement,
    Rationale,
    DecidedAt,
    EffectiveFrom,
    EffectiveUntil,
    DeciderKind,
    MandateId,
    MeetingId,
    Impact,
    Visibility,
    TensionId,
    PrevHash,
    Hash,
    Payload,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Mandates {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Tensions {
    Table,
    Id,
}
