//! The builder's events other than decisions: commitments, tensions, meetings (convened, signed,
//! proxies, agenda, relevé, and the former rules' scheduling), and account reports.

use crate::account::AccountReport;
use crate::builder::log::MovementBuilder;
use crate::builder::values::{label, text};
use crate::error::GovernanceError;
use crate::event::{Convocation, Event, NewTension};
use crate::id::{AccountReportId, MeetingId, MemberId, TensionId};
use crate::meeting::{AgendaItem, MeetingKind};
use crate::tension::{Space, TensionSubject};
use crate::time::Period;

impl MovementBuilder {
    /// The holder of mandate `key` commits to it at `at` (R4).
    pub fn commit(&mut self, key: &str, at: &str) -> Result<(), GovernanceError> {
        let mandate = self.mandate(key);
        let member = self
            .movement
            .mandate(mandate)
            .expect("fixture mandate exists")
            .holder;
        let at = self.at(at);
        self.apply(Event::Commitment {
            mandate,
            member,
            at,
        })
    }

    /// `by` raises a tension, known afterwards by `key`.
    #[allow(clippy::too_many_arguments)]
    pub fn raise_tension(
        &mut self,
        key: &str,
        by: &str,
        at: &str,
        subject: TensionSubject,
        space: Option<Space>,
        title: &str,
        description: &str,
    ) -> Result<(), GovernanceError> {
        let id = TensionId::from_uuid((self.next_id)());
        self.tensions.insert(key.to_owned(), id);
        let event = Event::TensionRaised(NewTension {
            id,
            raised_by: self.member(by),
            raised_at: self.at(at),
            subject,
            space,
            title: label(title),
            description: text(description),
        });
        self.apply(event)
    }

    /// `by` convenes meeting `key` of `kind` from `starts` to `ends`, at `at`, with `agenda`.
    #[allow(clippy::too_many_arguments)]
    pub fn convene(
        &mut self,
        key: &str,
        kind: MeetingKind,
        starts: &str,
        ends: &str,
        place: &str,
        agenda: Vec<AgendaItem>,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let meeting = self.new_meeting(key);
        let event = Event::MeetingConvened(Box::new(Convocation {
            meeting,
            kind,
            starts_at: self.at(starts),
            ends_at: self.at(ends),
            place: label(place),
            agenda,
            by: self.member(by),
            at: self.at(at),
        }));
        self.apply(event)
    }

    /// `member` signs the attendance sheet of `meeting` at `at`.
    pub fn sign(&mut self, meeting: &str, member: &str, at: &str) -> Result<(), GovernanceError> {
        let member = self.member(member);
        let event = Event::AttendanceSigned {
            meeting: self.meeting(meeting),
            member,
            by: member,
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `member` signs the petition for Agora `meeting` at `at`.
    pub fn sign_petition(
        &mut self,
        meeting: &str,
        member: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let member = self.member(member);
        let event = Event::PetitionSigned {
            meeting: self.meeting(meeting),
            member,
            by: member,
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `from` gives their proxy for `meeting` to `to` at `at`.
    pub fn proxy(
        &mut self,
        meeting: &str,
        from: &str,
        to: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let from = self.member(from);
        let event = Event::ProxyGiven {
            meeting: self.meeting(meeting),
            from,
            to: self.member(to),
            by: from,
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `from` withdraws their proxy for `meeting` at `at`.
    pub fn withdraw_proxy(
        &mut self,
        meeting: &str,
        from: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let from = self.member(from);
        let event = Event::ProxyWithdrawn {
            meeting: self.meeting(meeting),
            from,
            by: from,
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `by` adds `item` to the agenda of `meeting` at `at`.
    pub fn add_item(
        &mut self,
        meeting: &str,
        item: AgendaItem,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let event = Event::AgendaItemAdded {
            meeting: self.meeting(meeting),
            item,
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `by` closes the relevé of `meeting` at `at`.
    pub fn close_minutes(
        &mut self,
        meeting: &str,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let event = Event::MinutesClosed {
            meeting: self.meeting(meeting),
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    /// Rules v1 only: `by` schedules meeting `key` of `kind` for `held_at`.
    pub fn schedule_meeting(
        &mut self,
        key: &str,
        kind: MeetingKind,
        held_at: &str,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let id = MeetingId::from_uuid((self.next_id)());
        self.meetings.insert(key.to_owned(), id);
        let event = Event::MeetingScheduled {
            meeting: id,
            kind,
            held_at: self.at(held_at),
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    /// Rules v1 only: one attendee declares who attended.
    pub fn hold_meeting(
        &mut self,
        key: &str,
        attendees: &[&str],
        at: &str,
    ) -> Result<(), GovernanceError> {
        let attendees: Vec<MemberId> = attendees.iter().map(|a| self.member(a)).collect();
        let event = Event::MeetingHeld {
            meeting: self.meeting(key),
            by: attendees.first().copied().unwrap_or(MemberId::from_u128(0)),
            attendees,
            at: self.at(at),
        };
        self.apply(event)
    }

    pub fn schedule_tension(
        &mut self,
        tension: &str,
        meeting: &str,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let event = Event::TensionScheduled {
            tension: self.tension(tension),
            meeting: self.meeting(meeting),
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    pub fn process_tension(
        &mut self,
        tension: &str,
        by: &str,
        at: &str,
        outcome: &str,
        decisions: &[&str],
    ) -> Result<(), GovernanceError> {
        let event = Event::TensionProcessed {
            tension: self.tension(tension),
            by: self.member(by),
            at: self.at(at),
            outcome: text(outcome),
            decisions: decisions.iter().map(|d| self.decision(d)).collect(),
        };
        self.apply(event)
    }

    pub fn withdraw_tension(
        &mut self,
        tension: &str,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let event = Event::TensionWithdrawn {
            tension: self.tension(tension),
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    /// The holder of mandate `key` renders account for `[from, to)` at `at` (R16).
    pub fn report(
        &mut self,
        key: &str,
        from: &str,
        to: &str,
        at: &str,
        summary: &str,
    ) -> Result<(), GovernanceError> {
        let mandate = self.mandate(key);
        let author = self
            .movement
            .mandate(mandate)
            .expect("fixture mandate exists")
            .holder;
        let event = Event::AccountReported(AccountReport {
            id: AccountReportId::from_uuid((self.next_id)()),
            mandate,
            author,
            covers: Period::new(self.at(from), self.at(to)).expect("fixture periods are valid"),
            submitted_at: self.at(at),
            summary: text(summary),
        });
        self.apply(event)
    }
}
