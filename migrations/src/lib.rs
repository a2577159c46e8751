//! Gouvernail's database schema as an ordered list of SeaORM migrations, one change per file.
//!
//! Conventions every migration follows:
//!
//! - Ids are UUIDs (`uuid` on PostgreSQL, text on SQLite) and instants are
//!   `timestamp with time zone` (microsecond precision on PostgreSQL, text on SQLite).
//! - Every table that belongs to a movement carries `organization_id`.
//! - JSON values (settings, domains, scopes, impacts, effect payloads) are stored as text, so a
//!   value reads back byte for byte on both backends; enum values are stored as text too.
//! - The decision log and the audit trail are append-only: triggers reject `UPDATE` and
//!   `DELETE` on them (`m20261121_000027_create_append_only_triggers`).
//! - Foreign keys point from later tables to earlier ones. References from `units`, `members`,
//!   `unit_domain_versions` and `mandates` to the decision that changed them are plain columns:
//!   the founding decision is recorded in the Agora it creates, so a key in each direction would
//!   make a cycle. The decision side holds the keys instead (its unit, mandate, meeting and
//!   tension), which means the Agora row is written before the founding decision.
//! - Migrations never import entity code: each file names the tables and columns it touches.

use sea_orm_migration::prelude::*;

mod m20261121_000001_create_organizations;
mod m20261121_000002_create_members;
mod m20261121_000003_create_units;
mod m20261121_000004_create_unit_domain_versions;
mod m20261121_000005_create_mandates;
mod m20261121_000006_create_meetings;
mod m20261121_000007_create_meeting_attendees;
mod m20261121_000008_create_tensions;
mod m20261121_000009_create_decisions;
mod m20261121_000010_create_settings_versions;
mod m20261121_000011_create_consultations;
mod m20261121_000012_create_decision_participants;
mod m20261121_000013_create_decision_links;
mod m20261121_000014_create_decision_effects;
mod m20261121_000015_create_tension_events;
mod m20261121_000016_create_account_reports;
mod m20261121_000017_create_audit_entries;
mod m20261121_000018_create_api_tokens;
mod m20261121_000019_create_decision_reads;
mod m20261121_000020_add_mandates_holder_period_index;
mod m20261121_000021_add_mandates_expiry_index;
mod m20261121_000022_add_decisions_unit_timeline_index;
mod m20261121_000023_add_decisions_timeline_index;
mod m20261121_000024_add_tensions_space_index;
mod m20261121_000025_add_tension_events_tension_index;
mod m20261121_000026_add_decision_links_target_index;
mod m20261121_000027_create_append_only_triggers;
mod m20261121_000028_add_decisions_search_text;
mod m20261129_000029_add_api_token_expiry_and_scope;
mod m20261202_000030_create_web_sessions;
mod m20261202_000031_add_organizations_slug;
mod m20261207_000032_create_calendar_keys;
mod m20261207_000034_create_outbox;

pub use m20261202_000031_add_organizations_slug::backfill_slugs;

/// Every migration, oldest first.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_organizations::Migration),
            Box::new(m20261121_000002_create_members::Migration),
            Box::new(m20261121_000003_create_units::Migration),
            Box::new(m20261121_000004_create_unit_domain_versions::Migration),
            Box::new(m20261121_000005_create_mandates::Migration),
            Box::new(m20261121_000006_create_meetings::Migration),
            Box::new(m20261121_000007_create_meeting_attendees::Migration),
            Box::new(m20261121_000008_create_tensions::Migration),
            Box::new(m20261121_000009_create_decisions::Migration),
            Box::new(m20261121_000010_create_settings_versions::Migration),
            Box::new(m20261121_000011_create_consultations::Migration),
            Box::new(m20261121_000012_create_decision_participants::Migration),
            Box::new(m20261121_000013_create_decision_links::Migration),
            Box::new(m20261121_000014_create_decision_effects::Migration),
            Box::new(m20261121_000015_create_tension_events::Migration),
            Box::new(m20261121_000016_create_account_reports::Migration),
            Box::new(m20261121_000017_create_audit_entries::Migration),
            Box::new(m20261121_000018_create_api_tokens::Migration),
            Box::new(m20261121_000019_create_decision_reads::Migration),
            Box::new(m20261121_000020_add_mandates_holder_period_index::Migration),
            Box::new(m20261121_000021_add_mandates_expiry_index::Migration),
            Box::new(m20261121_000022_add_decisions_unit_timeline_index::Migration),
            Box::new(m20261121_000023_add_decisions_timeline_index::Migration),
            Box::new(m20261121_000024_add_tensions_space_index::Migration),
            Box::new(m20261121_000025_add_tension_events_tension_index::Migration),
            Box::new(m20261121_000026_add_decision_links_target_index::Migration),
            Box::new(m20261121_000027_create_append_only_triggers::Migration),
            Box::new(m20261121_000028_add_decisions_search_text::Migration),
            Box::new(m20261129_000029_add_api_token_expiry_and_scope::Migration),
            Box::new(m20261202_000030_create_web_sessions::Migration),
            Box::new(m20261202_000031_add_organizations_slug::Migration),
            Box::new(m20261207_000032_create_calendar_keys::Migration),
            Box::new(m20261207_000034_create_outbox::Migration),
        ]
    }
}
