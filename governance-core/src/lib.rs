//! Gouvernail's governance core: the charter (R1–R19) as a domain model and an authority engine.
//!
//! Pure Rust: no IO, no async, no clock reads. Callers pass the instant every rule is asked
//! about, and the state of a movement is derived from its ordered log of [`Event`]s.

pub mod account;
pub mod apply;
pub mod authority;
pub mod builder;
pub mod code;
pub mod decision;
pub mod demo;
pub mod denial;
pub mod effect;
pub mod error;
pub mod escalation;
pub mod event;
mod hash;
pub mod id;
mod index;
pub mod mandate;
pub mod meeting;
pub mod meeting_rules;
pub mod member;
pub mod messages;
pub mod movement;
pub mod outcome;
pub mod queries;
pub mod reading;
pub mod refusal;
pub mod render;
pub mod rules;
pub mod settings;
pub mod slug;
pub mod tension;
pub mod text;
pub mod time;
pub mod unit;

pub use apply::Recorded;
pub use code::{Code, ErrorCode};
pub use decision::{
    Consultation, Decider, DecisionDraft, DecisionLink, DecisionRecord, Impact, LinkKind, Stance,
    Visibility,
};
pub use denial::{Competent, Denial, DenialReason, EscalationStep, Verdict};
pub use effect::{Effect, NewMandate, NewMember, NewUnit};
pub use error::{DecisionError, GovernanceError};
pub use escalation::{Escalation, EscalationRequest};
pub use event::{Convocation, Event, NewTension};
pub use id::*;
pub use mandate::{Mandate, MandateStatus, Role, Scope};
pub use meeting::{AgendaItem, Attendance, Meeting, MeetingKind};
pub use movement::{Movement, Organization};
pub use outcome::Outcome;
pub use refusal::{NamedStep, Refusal};
pub use rules::RulesVersion;
pub use settings::{EscalationBody, Fraction, MandateAssigner, MeetingRules, Settings};
pub use slug::{Slug, SlugError};
pub use text::{Domain, Email, Label, Text};
pub use time::{Instant, Period};
pub use unit::{Unit, UnitKind};
