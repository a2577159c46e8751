//! A decision being written through the builder: started by `decision_draft`, given its decider,
//! consultations, links and effects, then recorded, checked, or escalated.

use crate::builder::log::MovementBuilder;
use crate::builder::values::{domain, label, text};
use crate::decision::{
    Consultation, Decider, DecisionDraft, DecisionLink, Impact, LinkKind, Stance, Visibility,
};
use crate::effect::Effect;
use crate::error::GovernanceError;
use crate::escalation::EscalationRequest;
use crate::event::Event;
use crate::id::{DecisionId, EscalationId, MemberId};
use crate::text::Text;

impl MovementBuilder {
    /// Starts a decision of `unit` on `domain`, recorded at `at`, known afterwards by `key`.
    pub fn decision_draft(
        &mut self,
        key: &str,
        unit: &str,
        domain_name: &str,
        title: &str,
        at: &str,
    ) -> Draft<'_> {
        let id = DecisionId::from_uuid((self.next_id)());
        self.decisions.insert(key.to_owned(), id);
        let unit = self
            .units
            .get(unit)
            .copied()
            .unwrap_or_else(|| panic!("the fixture has no unit called {unit:?}"));
        let decided_at = self.at(at);
        Draft {
            draft: DecisionDraft {
                id,
                unit,
                domain: domain(domain_name),
                title: label(title),
                statement: Text::default(),
                rationale: Text::default(),
                decided_at,
                effective_from: None,
                effective_until: None,
                decider: Decider::Body {
                    meeting: None,
                    participants: Vec::new(),
                    secretary: None,
                },
                consultations: Vec::new(),
                impact: Impact::ThisUnit,
                visibility: Visibility::Members,
                links: Vec::new(),
                effects: Vec::new(),
                tension: None,
                escalation: None,
            },
            builder: self,
        }
    }
}

/// A decision being written; finish with [`Draft::record`] or [`Draft::check`].
pub struct Draft<'b> {
    draft: DecisionDraft,
    builder: &'b mut MovementBuilder,
}

impl std::fmt::Debug for Draft<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.draft.fmt(f)
    }
}

impl Draft<'_> {
    /// Decided by one member, naming no mandate: the engine records the one that covers the
    /// unit and domain (or words its refusal about the member's mandate in that unit), as it
    /// does for a client of the API.
    pub fn by(mut self, member: &str) -> Self {
        let member = self.builder.member(member);
        self.draft.decider = Decider::Holder {
            member,
            mandate: None,
        };
        self
    }

    /// Decided by the unit as a body, in meeting `meeting` if given, listing `participants`
    /// as they are written, the first of them as secretary (R10). The engine checks the list.
    pub fn by_body(mut self, meeting: Option<&str>, participants: &[&str]) -> Self {
        let participants: Vec<MemberId> = participants
            .iter()
            .map(|p| self.builder.member(p))
            .collect();
        self.draft.decider = Decider::Body {
            meeting: meeting.map(|k| self.builder.meeting(k)),
            secretary: participants.first().copied(),
            participants,
        };
        self
    }

    /// Decided in meeting `meeting`, recorded by `secretary`, with the participants the engine
    /// counts at the decision's instant (R10): what a secretary's client sends.
    pub fn in_meeting(mut self, meeting: &str, secretary: &str) -> Self {
        let id = self.builder.meeting(meeting);
        let participants = self
            .builder
            .movement
            .attendance(id, self.draft.decided_at)
            .map(|a| a.participants())
            .unwrap_or_default();
        self.draft.decider = Decider::Body {
            meeting: Some(id),
            participants,
            secretary: Some(self.builder.member(secretary)),
        };
        self
    }

    /// The founding decision, taken by `founders` in the founding assembly `meeting`.
    pub fn founding(mut self, meeting: &str, founders: &[&str]) -> Self {
        let id = self.builder.new_meeting(meeting);
        let participants: Vec<MemberId> = founders.iter().map(|p| self.builder.member(p)).collect();
        self.draft.decider = Decider::Body {
            meeting: Some(id),
            secretary: participants.first().copied(),
            participants,
        };
        self
    }

    /// The decision answers the escalated proposal `key` (R9).
    pub fn answers_escalation(mut self, key: &str) -> Self {
        self.draft.escalation = Some(self.builder.escalation(key));
        self
    }

    /// Escalates the proposal, refused for reaching beyond its holder, as `key` (R9).
    pub fn escalate(self, key: &str) -> Result<EscalationId, GovernanceError> {
        let id = EscalationId::from_uuid((self.builder.next_id)());
        let by = match self.draft.decider {
            Decider::Holder { member, .. } => member,
            Decider::Body { .. } => MemberId::from_u128(0),
        };
        let event = Event::Escalated(Box::new(EscalationRequest {
            id,
            proposal: self.draft,
            by,
        }));
        self.builder.apply(event)?;
        self.builder.escalations.insert(key.to_owned(), id);
        Ok(id)
    }

    pub fn statement(mut self, statement: &str) -> Self {
        self.draft.statement = text(statement);
        self
    }

    pub fn rationale(mut self, rationale: &str) -> Self {
        self.draft.rationale = text(rationale);
        self
    }

    /// `member` was consulted at `at`, took `stance` and said `said` (R8).
    pub fn consulted(mut self, member: &str, at: &str, stance: Stance, said: &str) -> Self {
        self.draft.consultations.push(Consultation {
            member: self.builder.member(member),
            consulted_at: self.builder.at(at),
            stance,
            said: text(said),
        });
        self
    }

    pub fn impact(mut self, impact: Impact) -> Self {
        self.draft.impact = impact;
        self
    }

    pub fn published(mut self) -> Self {
        self.draft.visibility = Visibility::Published;
        self
    }

    pub fn link(mut self, kind: LinkKind, target: &str) -> Self {
        self.draft.links.push(DecisionLink {
            kind,
            target: self.builder.decision(target),
        });
        self
    }

    pub fn effect(mut self, effect: Effect) -> Self {
        self.draft.effects.push(effect);
        self
    }

    pub fn effects(mut self, effects: impl IntoIterator<Item = Effect>) -> Self {
        self.draft.effects.extend(effects);
        self
    }

    pub fn answers(mut self, tension: &str) -> Self {
        self.draft.tension = Some(self.builder.tension(tension));
        self
    }

    /// The draft as built, for tests that tamper with it.
    pub fn into_draft(self) -> DecisionDraft {
        self.draft
    }

    /// Checks the decision without recording it.
    pub fn check(self) -> Result<(), GovernanceError> {
        self.builder.movement.validate(&self.draft)
    }

    /// Records the decision through the engine.
    pub fn record(self) -> Result<DecisionId, GovernanceError> {
        let id = self.draft.id;
        self.builder.apply(Event::Decision(Box::new(self.draft)))?;
        Ok(id)
    }
}
