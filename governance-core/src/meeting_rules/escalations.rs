//! Escalated proposals (R9): a holder sends what the engine refuses with
//! `ESCALATION_REQUIRED` to the inbox of the body it must go to, which answers it once, in a
//! meeting.

use crate::decision::{Decider, DecisionDraft};
use crate::error::{DecisionError, GovernanceError};
use crate::escalation::{Escalation, EscalationError, EscalationRequest};
use crate::id::UnitId;
use crate::movement::Movement;
use crate::settings::EscalationBody;
use crate::time::Instant;

impl Movement {
    /// The proposals waiting in the inbox of `body` at `at` (R9).
    pub fn inbox(&self, body: UnitId, at: Instant) -> Vec<&Escalation> {
        self.escalations
            .iter()
            .filter(|e| e.body == body && e.is_open_at(at))
            .collect()
    }

    /// R9: a holder escalates a proposal the engine refuses with `ESCALATION_REQUIRED`; it waits
    /// in the inbox of the body at the end of the route.
    pub(crate) fn escalate(
        &mut self,
        mut request: EscalationRequest,
    ) -> Result<(), GovernanceError> {
        let at = request.proposal.decided_at;
        if self.escalation_index.contains_key(&request.id) {
            return Err(EscalationError::Duplicate(request.id).into());
        }
        self.require_member(request.by, at)?;
        if !matches!(request.proposal.decider, Decider::Holder { member, .. } if member == request.by)
        {
            return Err(EscalationError::NotTheProposer.into());
        }
        // Only a holder escalates, and only from within a mandate: someone without authority
        // there cannot fill the Coordination's or the Agora's inbox.
        let p = &request.proposal;
        let competent = match self.may_decide(request.by, p.unit, &p.domain, at) {
            Ok(c) => c,
            Err(denial) => return Err(DecisionError::Denied(denial).into()),
        };
        // The proposal is the holder's, under the mandate named or the one the check found.
        if let Decider::Holder { mandate, .. } = &mut request.proposal.decider
            && mandate.is_none()
        {
            *mandate = Some(competent.mandate);
        }
        let (to, route) = match self.validate(&request.proposal) {
            Ok(()) => return Err(EscalationError::NothingToEscalate.into()),
            Err(GovernanceError::Decision(DecisionError::EscalationRequired { to, route })) => {
                (to, route)
            }
            Err(other) => return Err(other),
        };
        let body = match to {
            EscalationBody::Coordination => self.coordination,
            EscalationBody::Agora => self.agora,
        }
        .ok_or(DecisionError::NotFounded)?;
        self.escalation_index
            .insert(request.id, self.escalations.len());
        self.escalations.push(Escalation {
            id: request.id,
            proposal: request.proposal,
            by: request.by,
            at,
            to,
            body,
            route,
            answered: None,
        });
        Ok(())
    }

    /// Checks that a decision answering an escalation comes from the body it went to, once.
    pub(crate) fn check_answer(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
        let Some(id) = draft.escalation else {
            return Ok(());
        };
        // An escalation goes to a body: one of its members alone does not answer for it.
        if !matches!(draft.decider, Decider::Body { .. }) {
            return Err(DecisionError::MeetingRequired.into());
        }
        let e = self.escalation(id).ok_or(EscalationError::Unknown(id))?;
        if e.answered.is_some() {
            return Err(EscalationError::AlreadyAnswered(id).into());
        }
        if e.body != draft.unit || e.at > draft.decided_at {
            return Err(EscalationError::WrongBody(id).into());
        }
        Ok(())
    }

    /// Marks the escalation a recorded decision answers.
    pub(crate) fn note_answer(&mut self, draft: &DecisionDraft) {
        if let Some(id) = draft.escalation
            && let Some(&i) = self.escalation_index.get(&id)
        {
            self.escalations[i].answered = Some((draft.id, draft.decided_at));
        }
    }
}
