//! The errors every event can fail with, and the stable code each maps to (`code.rs`). Clients
//! rely on the codes; the messages are for people.

use crate::account::AccountReportError;
use crate::denial::{Denial, EscalationStep};
use crate::escalation::EscalationError;
use crate::id::{DecisionId, MeetingId, MemberId, UnitId};
use crate::mandate::MandateError;
use crate::meeting::MeetingError;
use crate::member::MemberError;
use crate::rules::RulesVersion;
use crate::settings::{EscalationBody, SettingsError};
use crate::tension::TensionError;
use crate::text::{Domain, TextError};
use crate::time::{Instant, PeriodError};
use crate::unit::UnitError;

/// Kept here too: `governance_core::error::ErrorCode` is the path clients have used.
pub use crate::code::ErrorCode;

/// Why a decision was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("{0}")]
    Denied(Box<Denial>),
    #[error("the decider named a mandate that is not theirs")]
    NotYourMandate,
    #[error("the named mandate does not grant this decision; another mandate of yours does")]
    WrongMandate,
    #[error(
        "{domain} needs {required} consultation(s) of other members before deciding, {done} done"
    )]
    ConsultationRequired {
        domain: Domain,
        required: u32,
        done: u32,
    },
    #[error("this decision reaches beyond the decider's perimeter: it must go to the {to:?}")]
    EscalationRequired {
        to: EscalationBody,
        route: Vec<EscalationStep>,
    },
    #[error("a decision taken in a meeting must list its participants")]
    NoParticipants,
    #[error("participant {0} is listed twice")]
    DuplicateParticipant(MemberId),
    #[error("participant {0} is not a member at the time of the decision")]
    ParticipantNotMember(MemberId),
    #[error("no participant holds a mandate in force over {domain} in this unit")]
    BodyNotCompetent {
        unit: UnitId,
        domain: Domain,
        route: Vec<EscalationStep>,
    },
    #[error("consulted person {0} is not a member")]
    ConsulteeNotMember(MemberId),
    #[error("a consultation must happen before the decision")]
    ConsultationAfterDecision,
    #[error("decision {0} does not exist")]
    UnknownLinkTarget(DecisionId),
    #[error("decision {0} is already superseded or revoked")]
    LinkTargetEnded(DecisionId),
    #[error("this decider may not amend, supersede or revoke decision {0}")]
    LinkOutOfAuthority(DecisionId),
    #[error("the decision's effect {effect} needs authority over {domain} in unit {unit}")]
    EffectOutOfAuthority {
        effect: &'static str,
        unit: UnitId,
        domain: Domain,
    },
    #[error("a decision cannot apply before it is taken")]
    Retroactive,
    #[error("the effective period ends before it starts")]
    EffectivePeriod,
    #[error("decision {0} already exists")]
    Duplicate(DecisionId),
    #[error("the movement is not founded yet: the first decision must be the Agora's founding")]
    NotFounded,
    #[error("the founding decision is invalid: {0}")]
    InvalidFounding(&'static str),
    #[error("meeting {0} has not taken place by the time of the decision")]
    MeetingNotHeld(MeetingId),
    #[error("the tension {0} this decision answers does not exist")]
    UnknownTension(crate::id::TensionId),
    #[error("a decision taken as a group needs a held meeting of the deciding body")]
    MeetingRequired,
    #[error("meeting {meeting} is not a meeting of the deciding unit")]
    MeetingWrongUnit {
        meeting: MeetingId,
        body: Option<UnitId>,
    },
    #[error("quorum not reached: {present} participant(s) where {required} are needed")]
    QuorumNotReached { present: usize, required: usize },
    #[error("the decision is not on the meeting's published agenda")]
    NotOnAgenda,
    #[error(
        "the participants of a meeting's decision are exactly its signed and represented members"
    )]
    ParticipantsMismatch,
    #[error("the decision is recorded by one of the meeting's signed participants")]
    SecretaryNotSigned,
    #[error("the rules of functioning change only in a meeting (R19)")]
    SettingsNeedMeeting,
}

/// Why an event of the log was refused. Nothing is changed when an event is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GovernanceError {
    #[error(transparent)]
    Decision(#[from] DecisionError),
    #[error(transparent)]
    Unit(#[from] UnitError),
    #[error(transparent)]
    Member(#[from] MemberError),
    #[error(transparent)]
    Mandate(#[from] MandateError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Tension(#[from] TensionError),
    #[error(transparent)]
    Meeting(#[from] MeetingError),
    #[error(transparent)]
    AccountReport(#[from] AccountReportError),
    #[error(transparent)]
    Text(#[from] TextError),
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(transparent)]
    Escalation(#[from] EscalationError),
    #[error("events must be recorded in time order: {at} is before the last event, {last}")]
    OutOfOrder { at: Instant, last: Instant },
    #[error("an event under rules {event:?} cannot follow one under rules {newest:?}")]
    RulesDowngrade {
        event: RulesVersion,
        newest: RulesVersion,
    },
}

impl GovernanceError {
    /// The stable code a client sees.
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            GovernanceError::Decision(e) => match e {
                DecisionError::Denied(d) => d.reason.code(),
                DecisionError::ConsultationRequired { .. } => C::ConsultationRequired,
                DecisionError::EscalationRequired { .. } => C::EscalationRequired,
                DecisionError::ParticipantNotMember(_) | DecisionError::ConsulteeNotMember(_) => {
                    C::NotAMember
                }
                DecisionError::BodyNotCompetent { .. }
                | DecisionError::LinkOutOfAuthority(_)
                | DecisionError::EffectOutOfAuthority { .. } => C::OutOfScope,
                DecisionError::UnknownLinkTarget(_) | DecisionError::UnknownTension(_) => {
                    C::NotFound
                }
                DecisionError::Duplicate(_) | DecisionError::LinkTargetEnded(_) => C::Conflict,
                DecisionError::MeetingRequired | DecisionError::SettingsNeedMeeting => {
                    C::MeetingRequired
                }
                DecisionError::MeetingWrongUnit { .. } => C::MeetingWrongUnit,
                DecisionError::MeetingNotHeld(_) => C::MeetingNotHeld,
                DecisionError::QuorumNotReached { .. } => C::QuorumNotReached,
                DecisionError::NotOnAgenda => C::NotOnAgenda,
                DecisionError::ParticipantsMismatch | DecisionError::SecretaryNotSigned => {
                    C::NotAnAttendee
                }
                _ => C::Validation,
            },
            GovernanceError::Meeting(e) => match e {
                MeetingError::Unknown(_) => C::NotFound,
                MeetingError::Duplicate(_)
                | MeetingError::AlreadyHeld(_)
                | MeetingError::AlreadySigned(_) => C::Conflict,
                MeetingError::NotAnAttendee { .. } | MeetingError::NotChairOrSecretary(_) => {
                    C::NotAnAttendee
                }
                MeetingError::NotYetHeld(_) | MeetingError::OutsideWindow { .. } => {
                    C::MeetingNotHeld
                }
                MeetingError::NotEntitled { .. } => C::NotEntitled,
                MeetingError::NoticeTooShort { .. } => C::NoticeTooShort,
                MeetingError::NotConvened(_) => C::MeetingNotConvened,
                MeetingError::Legacy(_) => C::MeetingRequired,
                MeetingError::SignatureNotOwn => C::SignatureNotOwn,
                MeetingError::Proxy(_) => C::ProxyRefused,
                MeetingError::MinutesClosed(_) => C::MinutesClosed,
                MeetingError::InThePast(_)
                | MeetingError::Duration { .. }
                | MeetingError::TooFarAhead { .. }
                | MeetingError::NotAPetition(_)
                | MeetingError::AgendaItem
                | MeetingError::AgoraAsUnit
                | MeetingError::AgendaTooLong { .. }
                | MeetingError::Superseded => C::Validation,
            },
            GovernanceError::Escalation(e) => match e {
                EscalationError::Unknown(_) => C::NotFound,
                EscalationError::Duplicate(_) | EscalationError::AlreadyAnswered(_) => C::Conflict,
                EscalationError::NotTheProposer | EscalationError::WrongBody(_) => C::OutOfScope,
                EscalationError::NothingToEscalate => C::Validation,
            },
            GovernanceError::Unit(UnitError::Unknown(_))
            | GovernanceError::Member(MemberError::Unknown(_))
            | GovernanceError::Mandate(MandateError::Unknown(_))
            | GovernanceError::Tension(TensionError::Unknown(_)) => C::NotFound,
            GovernanceError::Unit(UnitError::Duplicate(_) | UnitError::SecondSingleton(_))
            | GovernanceError::Member(MemberError::Duplicate(_) | MemberError::EmailTaken(_))
            | GovernanceError::Mandate(
                MandateError::Duplicate(_)
                | MandateError::AlreadyRevoked(_)
                | MandateError::AlreadyCommitted(_),
            )
            | GovernanceError::Tension(
                TensionError::Duplicate(_) | TensionError::InvalidTransition { .. },
            )
            | GovernanceError::AccountReport(AccountReportError::Duplicate(_)) => C::Conflict,
            GovernanceError::Member(MemberError::NotAMember(_)) => C::NotAMember,
            // Acting on someone else's mandate, tension or report is outside one's perimeter.
            GovernanceError::Tension(
                TensionError::NotResponsible(_) | TensionError::NotTheRaiser(_),
            )
            | GovernanceError::Mandate(MandateError::NotTheHolder(_))
            | GovernanceError::AccountReport(AccountReportError::NotTheHolder(_)) => C::OutOfScope,
            GovernanceError::Mandate(MandateError::AlreadyOver(_)) => C::MandateExpired,
            _ => C::Validation,
        }
    }
}
