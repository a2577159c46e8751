//! SeaORM entities, one module per table created by the `migrations` crate, with the same
//! column names, types and nullability; API types wrap these rows rather than derive on them.
//!
//! Uuid primary keys are never auto-incremented; text columns carry `column_type = "Text"` so
//! a schema derived from an entity matches the migration; relations follow the foreign keys,
//! named as in the migrations. The `*_by` columns that point at a decision from `members`,
//! `units` and `mandates` are plain columns there, so they have no relation here either.

pub mod account_reports;
pub mod api_tokens;
pub mod audit_entries;
pub mod calendar_keys;
pub mod consultations;
pub mod decision_effects;
pub mod decision_links;
pub mod decision_participants;
pub mod decision_reads;
pub mod decisions;
pub mod mail_preferences;
pub mod mandates;
pub mod meeting_attendees;
pub mod meetings;
pub mod members;
pub mod organizations;
pub mod outbox;
pub mod settings_versions;
pub mod signin_links;
pub mod tension_events;
pub mod tensions;
pub mod unit_domain_versions;
pub mod units;
pub mod web_sessions;
pub mod webhooks;

/// Every entity under the name of its table, for `use super::entity::prelude::*`.
pub mod prelude {
    pub use super::account_reports::Entity as AccountReports;
    pub use super::api_tokens::Entity as ApiTokens;
    pub use super::audit_entries::Entity as AuditEntries;
    pub use super::calendar_keys::Entity as CalendarKeys;
    pub use super::consultations::Entity as Consultations;
    pub use super::decision_effects::Entity as DecisionEffects;
    pub use super::decision_links::Entity as DecisionLinks;
    pub use super::decision_participants::Entity as DecisionParticipants;
    pub use super::decision_reads::Entity as DecisionReads;
    pub use super::decisions::Entity as Decisions;
    pub use super::mail_preferences::Entity as MailPreferences;
    pub use super::mandates::Entity as Mandates;
    pub use super::meeting_attendees::Entity as MeetingAttendees;
    pub use super::meetings::Entity as Meetings;
    pub use super::members::Entity as Members;
    pub use super::organizations::Entity as Organizations;
    pub use super::outbox::Entity as Outbox;
    pub use super::settings_versions::Entity as SettingsVersions;
    pub use super::signin_links::Entity as SigninLinks;
    pub use super::tension_events::Entity as TensionEvents;
    pub use super::tensions::Entity as Tensions;
    pub use super::unit_domain_versions::Entity as UnitDomainVersions;
    pub use super::units::Entity as Units;
    pub use super::web_sessions::Entity as WebSessions;
    pub use super::webhooks::Entity as Webhooks;
}
