//! A refusal that carries its own words: the error, its message in every language of the
//! catalogue, and the escalation route with names, all resolved from the state that refused the
//! event. The caller words its answer from this alone, without reading the state again.

use crate::authority::EscalationStep;
use crate::error::{DecisionError, GovernanceError};
use crate::id::{MemberId, UnitId};
use crate::messages::{self, Lang};
use crate::movement::Movement;
use crate::unit::UnitKind;

/// One step of an escalation route, with the names a person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedStep {
    pub unit: UnitId,
    pub unit_name: String,
    pub kind: UnitKind,
    /// The step's holders (or referents), with their names.
    pub holders: Vec<(MemberId, String)>,
}

/// Why the core refused an event, ready to be shown.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub error: GovernanceError,
    english: String,
    french: String,
    /// Where the refused decision must go, when the refusal names a route (R9, R15).
    pub route: Option<Vec<NamedStep>>,
}

impl Refusal {
    /// The refusal's stable code.
    pub fn code(&self) -> crate::code::ErrorCode {
        self.error.code()
    }

    /// The message in `lang`, from the one catalogue (`messages.rs`).
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.english,
            Lang::Fr => &self.french,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

impl std::error::Error for Refusal {}

impl Movement {
    /// Words `error` against this state, the one that refused the event.
    pub fn refusal(&self, error: GovernanceError) -> Refusal {
        let route = match &error {
            GovernanceError::Decision(DecisionError::Denied(d)) => Some(&d.escalate_to),
            GovernanceError::Decision(
                DecisionError::EscalationRequired { route, .. }
                | DecisionError::BodyNotCompetent { route, .. },
            ) => Some(route),
            _ => None,
        }
        .map(|route| self.named_route(route));
        Refusal {
            english: messages::governance_error(self, &error, Lang::En),
            french: messages::governance_error(self, &error, Lang::Fr),
            route,
            error,
        }
    }

    fn named_route(&self, route: &[EscalationStep]) -> Vec<NamedStep> {
        route
            .iter()
            .map(|s| NamedStep {
                unit: s.unit,
                unit_name: self.unit_name(s.unit),
                kind: s.kind,
                holders: s
                    .holders
                    .iter()
                    .map(|h| (h.member, self.member_name(h.member)))
                    .collect(),
            })
            .collect()
    }
}
