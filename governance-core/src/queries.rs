//! Questions the movement asks of its own state, at any date (R12, R15, R16, R18): who may decide
//! what, which decision is in force, how power is spread, which mandates expire and which
//! account reports are missing.

use crate::account::{DueReport, due_periods, satisfies};
use crate::decision::{DecisionRecord, LinkKind};
use crate::denial::{Competent, EscalationStep};
use crate::id::{DecisionId, MemberId, UnitId};
use crate::mandate::{Mandate, MandateStatus};
use crate::movement::Movement;
use crate::text::Domain;
use crate::time::Instant;

/// Who may decide on one domain of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityRow {
    pub unit: UnitId,
    pub domain: Domain,
    pub holders: Vec<Competent>,
    /// When nobody holds the domain, where its decisions go.
    pub route_if_unheld: Vec<EscalationStep>,
}

/// Who may decide what across the movement at one instant (R15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityMap {
    pub at: Instant,
    pub rows: Vec<AuthorityRow>,
}

/// How many mandates in force each member holds (R18).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PowerDistribution {
    pub at: Instant,
    /// Members holding at least one mandate in force, most mandates first.
    pub holders: Vec<(MemberId, usize)>,
    /// Members holding none.
    pub without_mandate: Vec<MemberId>,
    /// Share of all mandates in force held by the most concentrated holder, in percent.
    pub top_share_percent: u32,
}

impl Movement {
    /// Every active unit and each of its domains at `at`, in tree order, with who may decide
    /// there and, where nobody may, where its decisions go.
    pub fn authority_map(&self, at: Instant) -> AuthorityMap {
        let mut rows = Vec::new();
        let mut stack: Vec<UnitId> = self.agora.into_iter().collect();
        while let Some(id) = stack.pop() {
            let unit = &self.units[&id];
            if !unit.is_active_at(at) {
                continue;
            }
            for domain in unit.domains_at(at) {
                let holders = self.who_may_decide(id, domain, at);
                let route_if_unheld = if holders.is_empty() {
                    self.escalation_route(id, domain, at)
                        .into_iter()
                        .filter(|s| s.unit != id)
                        .collect()
                } else {
                    Vec::new()
                };
                rows.push(AuthorityRow {
                    unit: id,
                    domain: domain.clone(),
                    holders,
                    route_if_unheld,
                });
            }
            stack.extend(self.children(id).iter().rev());
        }
        AuthorityMap { at, rows }
    }

    /// Whether a later decision recorded by `at` supersedes or revokes `decision`.
    pub fn ended_by(&self, decision: DecisionId, at: Instant) -> Option<(LinkKind, DecisionId)> {
        self.linked_from(decision)
            .iter()
            .copied()
            .filter(|(k, _)| matches!(k, LinkKind::Supersedes | LinkKind::Revokes))
            .find(|(_, by)| self.decision(*by).is_some_and(|d| d.decided_at() <= at))
    }

    /// The decisions in force on a unit and domain at `at` (R12): recorded by then, effective
    /// then, and neither superseded nor revoked by then. Newest first.
    pub fn decisions_in_force(
        &self,
        unit: UnitId,
        domain: &Domain,
        at: Instant,
    ) -> Vec<&DecisionRecord> {
        let mut found: Vec<&DecisionRecord> = self
            .decisions_by_scope
            .get(&(unit, domain.clone()))
            .into_iter()
            .flatten()
            .map(|&i| &self.decisions[i])
            .filter(|d| d.decided_at() <= at && d.is_effective_at(at))
            .filter(|d| self.ended_by(d.id(), at).is_none())
            .collect();
        found.reverse();
        found
    }

    /// The chain of decisions that replaced one another through `Supersedes`, oldest first,
    /// containing `decision`.
    pub fn supersession_chain(&self, decision: DecisionId) -> Vec<DecisionId> {
        let mut chain = vec![decision];
        // Walk back to the first decision of the chain.
        let mut current = decision;
        while let Some(prev) = self.decision(current).and_then(|d| {
            d.links
                .iter()
                .find(|l| l.kind == LinkKind::Supersedes)
                .map(|l| l.target)
        }) {
            if chain.contains(&prev) {
                break;
            }
            chain.insert(0, prev);
            current = prev;
        }
        // Walk forward to the latest.
        let mut current = decision;
        while let Some(next) = self
            .linked_from(current)
            .iter()
            .find(|(k, _)| *k == LinkKind::Supersedes)
            .map(|(_, d)| *d)
        {
            if chain.contains(&next) {
                break;
            }
            chain.push(next);
            current = next;
        }
        chain
    }

    /// Decisions recorded in `(after, until]`, in the order recorded: what a member who last
    /// looked at `after` has to catch up on (R11).
    pub fn decisions_between(
        &self,
        after: Instant,
        until: Instant,
    ) -> impl Iterator<Item = &DecisionRecord> {
        let start = self.decisions.partition_point(|d| d.decided_at() <= after);
        self.decisions[start..]
            .iter()
            .take_while(move |d| d.decided_at() <= until)
    }

    /// How concentrated authority is at `at` (R18).
    pub fn power_distribution(&self, at: Instant) -> PowerDistribution {
        let mut holders = Vec::new();
        let mut without_mandate = Vec::new();
        let mut total = 0usize;
        for member in self.members().filter(|m| m.is_member_at(at)) {
            let count = self
                .mandates_of(member.id)
                .filter(|m| m.is_known_at(at) && m.status_at(at) == MandateStatus::InForce)
                .count();
            total += count;
            if count == 0 {
                without_mandate.push(member.id);
            } else {
                holders.push((member.id, count));
            }
        }
        holders.sort_by_key(|h| std::cmp::Reverse(h.1));
        let top = holders.first().map(|h| h.1).unwrap_or(0);
        let top_share_percent = (top * 100).checked_div(total).unwrap_or(0) as u32;
        PowerDistribution {
            at,
            holders,
            without_mandate,
            top_share_percent,
        }
    }

    /// Mandates, known at `at` and not revoked by then, whose end falls in `(at, at + within]`.
    pub fn expiring_mandates(&self, at: Instant, within: chrono::Duration) -> Vec<&Mandate> {
        let limit = at + within;
        let mut found: Vec<&Mandate> = self
            .mandates
            .iter()
            .filter(|m| m.is_known_at(at))
            .filter(|m| {
                matches!(
                    m.status_at(at),
                    MandateStatus::InForce
                        | MandateStatus::PendingCommitment
                        | MandateStatus::NotStarted
                )
            })
            .filter(|m| m.period.ends_at() > at && m.period.ends_at() <= limit)
            .collect();
        found.sort_by_key(|m| m.period.ends_at());
        found
    }

    /// Every account report owed by `at`, with the report that satisfies it if one was rendered
    /// by then (R16).
    pub fn due_reports(&self, at: Instant) -> Vec<DueReport> {
        let every = self.settings_at(at).account_report_every_months;
        let mut due = Vec::new();
        for mandate in self.mandates.iter().filter(|m| m.is_known_at(at)) {
            for covers in due_periods(mandate, every, at) {
                let rendered_by = self
                    .reports_for(mandate.id)
                    .filter(|r| r.submitted_at <= at)
                    .find(|r| satisfies(r, &covers))
                    .map(|r| r.id);
                due.push(DueReport {
                    mandate: mandate.id,
                    holder: mandate.holder,
                    covers,
                    rendered_by,
                });
            }
        }
        due
    }

    /// The account reports owed by `at` and not rendered (R16).
    pub fn missing_reports(&self, at: Instant) -> Vec<DueReport> {
        self.due_reports(at)
            .into_iter()
            .filter(|d| d.rendered_by.is_none())
            .collect()
    }
}

/// Who is reading: a member, or someone outside the movement (R17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Member(MemberId),
    Outsider,
}

impl Movement {
    /// Whether `reader` may read `decision` at `at`: members read every record (R11), outsiders
    /// only those explicitly published (R17). Someone who is not a member at `at` (before
    /// joining, or after leaving) reads as an outsider does.
    pub fn may_read(&self, reader: Reader, decision: &DecisionRecord, at: Instant) -> bool {
        self.read_scope(reader, at).admits(decision.visibility)
    }

    /// The decisions `reader` may read at `at`, in the order recorded.
    pub fn readable_decisions(
        &self,
        reader: Reader,
        at: Instant,
    ) -> impl Iterator<Item = &DecisionRecord> {
        self.decisions
            .iter()
            .filter(move |d| d.decided_at() <= at && self.may_read(reader, d, at))
    }

    /// When the next Fonctionnement meeting is due (R2): the cadence after the last one held,
    /// or after the founding if none was held yet.
    pub fn fonctionnement_due(&self, at: Instant) -> Option<Instant> {
        let every = self.settings_at(at).fonctionnement_every_months;
        let last = self
            .meetings
            .iter()
            .filter(|m| m.kind == crate::meeting::MeetingKind::Fonctionnement)
            .filter(|m| m.held_at <= at && !m.attendees.is_empty())
            .map(|m| m.held_at)
            .max()
            .or_else(|| self.decisions.first().map(|d| d.decided_at()))?;
        Some(crate::time::add_months(last, every))
    }
}
