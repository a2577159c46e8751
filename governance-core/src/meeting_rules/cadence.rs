//! When the recurring meetings (R2), Fonctionnement and Gouvernance, are due, and whether they
//! are overdue.

use crate::id::MeetingId;
use crate::meeting::MeetingKind;
use crate::movement::Movement;
use crate::rules::RulesVersion;
use crate::time::Instant;

/// When a recurring meeting (R2) is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cadence {
    pub kind: MeetingKind,
    pub every_months: u32,
    /// The last meeting of this kind that took place (someone signed) at or before the date.
    pub last_held: Option<Instant>,
    /// When the next one is due: the last one, or the founding, plus the cadence.
    pub due_at: Instant,
    /// The next meeting of this kind already convened after the date, if any.
    pub next_convened: Option<MeetingId>,
    /// Whether the due date has passed without a meeting taking place.
    pub overdue: bool,
}

impl Movement {
    /// When the Fonctionnement and Gouvernance meetings are due at `at` (R2).
    pub fn meeting_cadence(&self, at: Instant) -> Vec<Cadence> {
        let Some(founded) = self.decisions.first().map(|d| d.decided_at()) else {
            return Vec::new();
        };
        let settings = self.settings_at(at);
        [
            (
                MeetingKind::Fonctionnement,
                settings.fonctionnement_every_months,
            ),
            (
                MeetingKind::Gouvernance,
                settings.meetings.gouvernance_every_months,
            ),
        ]
        .into_iter()
        .map(|(kind, every)| {
            let of_kind = || self.meetings.iter().filter(move |m| m.kind == kind);
            // Held: under the former rules, someone was declared there; under the current
            // ones, it reached its quorum (guests alone are no meeting).
            let last_held = of_kind()
                .filter(|m| m.held_at <= at)
                .filter(|m| match m.rules {
                    RulesVersion::V1 => !m.attendees.is_empty(),
                    RulesVersion::V2 => {
                        let end = m.ends_at.unwrap_or(m.held_at).min(at);
                        self.attendance(m.id, end).is_some_and(|a| a.has_quorum())
                    }
                })
                .map(|m| m.held_at)
                .max();
            let due_at = crate::time::add_months(last_held.unwrap_or(founded), every);
            let next_convened = of_kind()
                .filter(|m| m.held_at > at && m.convened_at.is_some_and(|c| c <= at))
                .min_by_key(|m| m.held_at)
                .map(|m| m.id);
            Cadence {
                kind,
                every_months: every,
                last_held,
                due_at,
                next_convened,
                overdue: due_at <= at,
            }
        })
        .collect()
    }
}
