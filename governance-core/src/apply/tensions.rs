//! Tensions (R13, R14): raised by a member about the functioning, never naming a person;
//! scheduled to a meeting or routed to a referent; processed there, or withdrawn by the raiser.

use crate::error::{DecisionError, GovernanceError};
use crate::event::NewTension;
use crate::id::{DecisionId, MeetingId, MemberId, TensionId};
use crate::mandate::MandateStatus;
use crate::meeting::{Convener, MeetingError};
use crate::movement::Movement;
use crate::rules::RulesVersion;
use crate::tension::{Tension, TensionError, TensionStatus, TensionSubject, default_space};
use crate::text::Text;
use crate::time::Instant;
use crate::unit::UnitError;

impl Movement {
    pub(super) fn raise_tension(&mut self, t: NewTension) -> Result<(), GovernanceError> {
        let at = t.raised_at;
        if self.tension_index.contains_key(&t.id) {
            return Err(TensionError::Duplicate(t.id).into());
        }
        self.require_member(t.raised_by, at)?;
        match &t.subject {
            TensionSubject::Unit(u) | TensionSubject::Role { unit: u, .. } => {
                self.units
                    .get(u)
                    .filter(|x| x.is_active_at(at))
                    .ok_or(UnitError::Unknown(*u))?;
            }
            TensionSubject::Rule(_) => {}
        }
        let space = t.space.unwrap_or_else(|| default_space(&t.subject));
        if let crate::tension::Space::Referent(u) = space {
            self.units
                .get(&u)
                .filter(|x| x.is_active_at(at))
                .ok_or(UnitError::Unknown(u))?;
        }
        // R14: a tension is about functioning. Naming a member in it, by full name, e-mail or
        // first name as a word of its own, turns it into a matter of people, which the charter
        // asks to settle face to face instead.
        if let Some(name) =
            self.named_member(&format!("{} {}", t.title.as_str(), t.description.as_str()))
        {
            return Err(TensionError::NamesAPerson { name }.into());
        }
        self.tension_index.insert(t.id, self.tensions.len());
        self.tensions.push(Tension {
            id: t.id,
            raised_by: t.raised_by,
            raised_at: at,
            subject: t.subject,
            space,
            title: t.title,
            description: t.description,
            status: TensionStatus::Open,
            history: vec![(at, TensionStatus::Open)],
        });
        Ok(())
    }

    /// The member a text names, if any: a full name or an e-mail anywhere (ignoring case), or a
    /// first name written as a word of its own, capitalised as in the member list, or in
    /// capitals inside a text that is not all capitals ("INÈS publie trop"). A first name in
    /// lower case, or in a text written all in capitals, is not matched: many first names are
    /// also common words ("rose", "SALLE ROSE"), and refusing those would refuse honest texts.
    pub(super) fn named_member(&self, text: &str) -> Option<String> {
        // Under rules v2, compared in NFC on both sides, so that an accent typed as a combining
        // mark names the same person; a v1 tension replays as it was judged then.
        use unicode_normalization::UnicodeNormalization;
        let v2 = !self.is_v1();
        let nfc = |s: &str| -> String { if v2 { s.nfc().collect() } else { s.to_owned() } };
        let text = nfc(text);
        let text = text.as_str();
        let shouted = !text.chars().any(char::is_lowercase);
        let lower = text.to_lowercase();
        let words: std::collections::HashSet<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        self.members()
            .find(|m| {
                let name = nfc(m.name.as_str());
                let first = name.split_whitespace().next().unwrap_or("");
                lower.contains(&name.to_lowercase())
                    || lower.contains(m.email.as_str())
                    || (first.chars().count() >= 2
                        && (words.contains(first)
                            || (!shouted && words.contains(first.to_uppercase().as_str()))))
            })
            .map(|m| m.name.to_string())
    }

    pub(super) fn tension_mut(&mut self, id: TensionId) -> Result<&mut Tension, GovernanceError> {
        let i = *self
            .tension_index
            .get(&id)
            .ok_or(TensionError::Unknown(id))?;
        Ok(&mut self.tensions[i])
    }

    pub(crate) fn set_tension_status(
        &mut self,
        id: TensionId,
        at: Instant,
        to: TensionStatus,
    ) -> Result<(), GovernanceError> {
        let t = self.tension_mut(id)?;
        let allowed = matches!(
            (&t.status, &to),
            (
                TensionStatus::Open | TensionStatus::Scheduled { .. },
                TensionStatus::Scheduled { .. }
            ) | (
                TensionStatus::Open | TensionStatus::Scheduled { .. },
                TensionStatus::Processed { .. }
            ) | (
                TensionStatus::Open | TensionStatus::Scheduled { .. },
                TensionStatus::Withdrawn { .. }
            )
        );
        if !allowed {
            return Err(TensionError::InvalidTransition {
                from: t.status.name(),
                to: to.name(),
            }
            .into());
        }
        t.status = to.clone();
        t.history.push((at, to));
        Ok(())
    }

    pub(super) fn schedule_tension(
        &mut self,
        tension: TensionId,
        meeting: MeetingId,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        self.require_member(by, at)?;
        let space = self
            .tension(tension)
            .ok_or(TensionError::Unknown(tension))?
            .space;
        let mi = *self
            .meeting_index
            .get(&meeting)
            .ok_or(MeetingError::Unknown(meeting))?;
        if !self.meetings[mi]
            .kind
            .hosts(space, self.coordination, self.agora)
        {
            return Err(TensionError::WrongSpace { tension, meeting }.into());
        }
        let m = &self.meetings[mi];
        // Under rules v2 the agenda closes when the meeting starts, as for any agenda item.
        let started = if m.rules == RulesVersion::V1 {
            m.held_at < at
        } else {
            m.held_at <= at
        };
        if started || !m.attendees.is_empty() {
            return Err(MeetingError::AlreadyHeld(meeting).into());
        }
        if !self.is_v1() {
            // Under rules v2 the agenda is the convener's, or the raiser's for their own
            // tension: a member cannot fill another body's agenda.
            if m.rules == RulesVersion::V1 {
                return Err(MeetingError::Legacy(meeting).into());
            }
            let raiser = self.tension(tension).map(|t| t.raised_by) == Some(by);
            // A petition's agenda is what its signers signed for: it grows no more after.
            let signed_petition = matches!(
                &m.convener,
                Convener::Petition { signatures, .. } if signatures.len() > 1
            );
            let entitled = match (&m.convener, m.body) {
                (Convener::Member(c), _) if *c == by => true,
                (Convener::Petition { opened_by, .. }, _) if *opened_by == by => true,
                (_, Some(body)) => self.may_convene(by, body, at),
                _ => false,
            };
            if (!raiser && !entitled) || signed_petition {
                return Err(MeetingError::NotEntitled { member: by }.into());
            }
            // A meeting in session keeps what it was convened to discuss.
            if !self.tension_movable(tension, at) {
                return Err(MeetingError::AlreadyHeld(meeting).into());
            }
            let item = crate::meeting::AgendaItem::Tension(tension);
            let m = &self.meetings[mi];
            if !m.items.iter().any(|e| e.item == item)
                && m.items.len() >= crate::meeting::MAX_AGENDA_ITEMS
            {
                return Err(MeetingError::AgendaTooLong {
                    max: crate::meeting::MAX_AGENDA_ITEMS,
                }
                .into());
            }
            self.put_tension_on(tension, mi, at)?;
            if !self.meetings[mi].items.iter().any(|e| e.item == item) {
                self.meetings[mi].items.push(crate::meeting::AgendaEntry {
                    item,
                    added_at: at,
                    added_by: by,
                });
            }
            return Ok(());
        }
        self.put_tension_on(tension, mi, at)
    }

    /// R13: a tension is processed where it was routed: by the attendees of the meeting it was
    /// scheduled to, once that meeting took place, or, for a tension routed to a unit's
    /// referent, by that referent (or, if the unit has none in force, by one of its holders).
    pub(super) fn process_tension(
        &mut self,
        tension: TensionId,
        by: MemberId,
        at: Instant,
        outcome: Text,
        decisions: Vec<DecisionId>,
    ) -> Result<(), GovernanceError> {
        self.require_member(by, at)?;
        if let Some(d) = decisions
            .iter()
            .find(|d| !self.decision_index.contains_key(d))
        {
            return Err(DecisionError::UnknownLinkTarget(*d).into());
        }
        let t = self
            .tension(tension)
            .ok_or(TensionError::Unknown(tension))?;
        match (&t.status, t.space) {
            (TensionStatus::Scheduled { meeting }, _) => {
                let m = self
                    .meeting(*meeting)
                    .ok_or(MeetingError::Unknown(*meeting))?;
                if m.held_at > at || m.attendees.is_empty() {
                    return Err(TensionError::MeetingNotHeld {
                        tension,
                        meeting: *meeting,
                    }
                    .into());
                }
                // Under rules v2, processing a tension is the meeting's act: by one of its
                // present participants, while it is quorate and its relevé open.
                let takes_part = match m.rules {
                    RulesVersion::V1 => m.attendees.contains(&by),
                    RulesVersion::V2 => {
                        let close_days = self.settings_at(m.held_at).meetings.minutes_close_days;
                        m.minutes_open_at(at, close_days)
                            && self
                                .attendance(*meeting, at)
                                .is_some_and(|a| a.present.contains(&by) && a.has_quorum())
                    }
                };
                if !takes_part {
                    return Err(TensionError::NotResponsible(tension).into());
                }
            }
            (TensionStatus::Open, crate::tension::Space::Referent(unit)) => {
                let referents = self.referents(unit, at);
                let responsible = if referents.is_empty() {
                    self.mandates_in(unit).any(|m| {
                        m.holder == by
                            && m.is_known_at(at)
                            && m.status_at(at) == MandateStatus::InForce
                    })
                } else {
                    referents.iter().any(|c| c.member == by)
                };
                if !responsible {
                    return Err(TensionError::NotResponsible(tension).into());
                }
            }
            (TensionStatus::Open, _) => return Err(TensionError::NeedsMeeting(tension).into()),
            // Ended tensions are refused with their transition error below.
            _ => {}
        }
        self.set_tension_status(
            tension,
            at,
            TensionStatus::Processed {
                at,
                outcome,
                decisions,
            },
        )
    }

    pub(super) fn withdraw_tension(
        &mut self,
        tension: TensionId,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        let t = self
            .tension(tension)
            .ok_or(TensionError::Unknown(tension))?;
        if t.raised_by != by {
            return Err(TensionError::NotTheRaiser(tension).into());
        }
        self.set_tension_status(tension, at, TensionStatus::Withdrawn { at })
    }
}
