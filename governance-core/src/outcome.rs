//! What a write hands back: the record an event produced or changed, taken from the state right
//! after the core applied it, so the caller answers from what was written instead of reading the
//! state again (and waiting for it) after the commit.

use crate::account::AccountReport;
use crate::decision::DecisionRecord;
use crate::escalation::Escalation;
use crate::event::Event;
use crate::mandate::Mandate;
use crate::meeting::Meeting;
use crate::movement::Movement;
use crate::tension::Tension;

/// The record an applied event is about, as it stands after the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Decision(Box<DecisionRecord>),
    Mandate(Box<Mandate>),
    Tension(Box<Tension>),
    Meeting(Box<Meeting>),
    Escalation(Box<Escalation>),
    Report(Box<AccountReport>),
}

impl Movement {
    /// The record `event` produced or changed, read right after it was applied. `None` only if
    /// the event was not applied to this state (a caller's mistake, never a refusal: a refused
    /// event is an error before this is asked).
    pub fn outcome(&self, event: &Event) -> Option<Outcome> {
        let meeting = |id| {
            self.meeting(id)
                .cloned()
                .map(Box::new)
                .map(Outcome::Meeting)
        };
        let tension = |id| {
            self.tension(id)
                .cloned()
                .map(Box::new)
                .map(Outcome::Tension)
        };
        match event {
            Event::Decision(d) => self
                .decision(d.id)
                .cloned()
                .map(Box::new)
                .map(Outcome::Decision),
            Event::Commitment { mandate, .. } => self
                .mandate(*mandate)
                .cloned()
                .map(Box::new)
                .map(Outcome::Mandate),
            Event::TensionRaised(t) => tension(t.id),
            Event::TensionScheduled { tension: t, .. }
            | Event::TensionProcessed { tension: t, .. }
            | Event::TensionWithdrawn { tension: t, .. } => tension(*t),
            Event::MeetingScheduled { meeting: m, .. }
            | Event::MeetingHeld { meeting: m, .. }
            | Event::PetitionSigned { meeting: m, .. }
            | Event::AgendaItemAdded { meeting: m, .. }
            | Event::AttendanceSigned { meeting: m, .. }
            | Event::ProxyGiven { meeting: m, .. }
            | Event::ProxyWithdrawn { meeting: m, .. }
            | Event::MinutesClosed { meeting: m, .. } => meeting(*m),
            Event::MeetingConvened(c) => meeting(c.meeting),
            Event::AccountReported(r) => self
                .account_reports()
                .iter()
                .rev()
                .find(|x| x.id == r.id)
                .cloned()
                .map(Box::new)
                .map(Outcome::Report),
            Event::Escalated(e) => self
                .escalation(e.id)
                .cloned()
                .map(Box::new)
                .map(Outcome::Escalation),
        }
    }
}
