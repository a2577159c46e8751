//! The closed list of stable error codes, and the error every event can fail with. Clients rely
//! on the codes (they become the GraphQL `extensions.code`); the messages are for people.

use crate::account::AccountReportError;
use crate::authority::{Denial, EscalationStep};
use crate::id::{DecisionId, MeetingId, MemberId, UnitId};
use crate::mandate::MandateError;
use crate::meeting::MeetingError;
use crate::member::MemberError;
use crate::settings::{EscalationBody, SettingsError};
use crate::tension::TensionError;
use crate::text::{Domain, TextError};
use crate::time::{Instant, PeriodError};
use crate::unit::UnitError;

/// A stable, documented error code. Adding one is an API change; renaming one breaks clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    NotAMember,
    NoMandate,
    NotCommitted,
    MandateNotStarted,
    MandateExpired,
    MandateRevoked,
    OutOfScope,
    ConsultationRequired,
    EscalationRequired,
    Validation,
    NotFound,
    Conflict,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::NotAMember,
        ErrorCode::NoMandate,
        ErrorCode::NotCommitted,
        ErrorCode::MandateNotStarted,
        ErrorCode::MandateExpired,
        ErrorCode::MandateRevoked,
        ErrorCode::OutOfScope,
        ErrorCode::ConsultationRequired,
        ErrorCode::EscalationRequired,
        ErrorCode::Validation,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotAMember => "NOT_A_MEMBER",
            ErrorCode::NoMandate => "NO_MANDATE",
            ErrorCode::NotCommitted => "NOT_COMMITTED",
            ErrorCode::MandateNotStarted => "MANDATE_NOT_STARTED",
            ErrorCode::MandateExpired => "MANDATE_EXPIRED",
            ErrorCode::MandateRevoked => "MANDATE_REVOKED",
            ErrorCode::OutOfScope => "OUT_OF_SCOPE",
            ErrorCode::ConsultationRequired => "CONSULTATION_REQUIRED",
            ErrorCode::EscalationRequired => "ESCALATION_REQUIRED",
            ErrorCode::Validation => "VALIDATION",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    #[error("events must be recorded in time order: {at} is before the last event, {last}")]
    OutOfOrder { at: Instant, last: Instant },
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
                _ => C::Validation,
            },
            GovernanceError::Unit(UnitError::Unknown(_))
            | GovernanceError::Member(MemberError::Unknown(_))
            | GovernanceError::Mandate(MandateError::Unknown(_))
            | GovernanceError::Tension(TensionError::Unknown(_))
            | GovernanceError::Meeting(MeetingError::Unknown(_)) => C::NotFound,
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
            | GovernanceError::Meeting(MeetingError::Duplicate(_) | MeetingError::AlreadyHeld(_))
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
