//! What a calendar feed holds, read from the movement's state at one instant: a member's feed
//! (their mandates' ends, the account reports they owe, the meetings of the bodies they sit in)
//! and a unit's (its meetings, its mandates' ends, and the next Fonctionnement meeting due when
//! the unit holds those). Pure: the same state and instant give the same events, in the same
//! order, with the same stamps, so an unchanged feed is byte-identical between fetches.
//!
//! UIDs come from each object's kind and id (`meeting-{id}@gouvernail`); an event's SEQUENCE
//! and DTSTAMP come from the record that last changed its date or status (a revocation moves a
//! mandate's end; a petition reaching its signatures confirms a meeting; a Fonctionnement
//! meeting held moves the next one due), never from the clock.

use super::ics::{CalEvent, Status};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use governance_core::account::due_periods;
use governance_core::meeting::{AgendaItem, Meeting, MeetingKind};
use governance_core::{Instant, Mandate, MemberId, Movement, Role, UnitId};
use std::collections::HashMap;

/// The domain of every UID, so that ours never collide with another producer's.
const UID_DOMAIN: &str = "gouvernail";

/// "12/03/2026 à 14h05", in the movement's time zone.
fn when(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%d/%m/%Y à %Hh%M").to_string()
}

fn role_fr(role: Role) -> &'static str {
    match role {
        Role::Holder => "titulaire",
        Role::Referent => "référent·e",
    }
}

/// The end of a mandate, where it stands now: its period's end, or its revocation if earlier.
fn mandate_end(movement: &Movement, m: &Mandate, tz: Tz) -> CalEvent {
    let unit = movement.unit_name(m.unit);
    let holder = movement.member_name(m.holder);
    let revoked = m.revocation.filter(|r| r.at < m.period.ends_at());
    let (summary, sequence, stamp) = match revoked {
        Some(r) => (
            format!("Fin du mandat (révoqué) : {} — {unit}", role_fr(m.role)),
            1,
            r.at,
        ),
        None => (
            format!("Fin du mandat : {} — {unit}", role_fr(m.role)),
            0,
            m.assigned_at,
        ),
    };
    let mut description = format!(
        "Mandat de {holder} ({}) dans {unit}, du {} au {}.",
        role_fr(m.role),
        when(m.period.starts_at(), tz),
        when(m.period.ends_at(), tz)
    );
    if let Some(r) = revoked {
        description.push_str(&format!(" Révoqué le {}.", when(r.at, tz)));
    }
    CalEvent {
        uid: format!("mandate-end-{}@{UID_DOMAIN}", m.id),
        sequence,
        stamp,
        start: m.effective_end(),
        end: None,
        summary,
        description,
        location: None,
        status: Status::Confirmed,
    }
}

/// The account reports `member` owes for their mandates (R16): those due by `now` and not
/// rendered (the core's `missing_reports`), and those still to come (the core's `due_periods`
/// over the rest of each mandate), each due at the end of the period it covers.
fn reports_due(movement: &Movement, member: MemberId, now: Instant, tz: Tz) -> Vec<CalEvent> {
    let every = movement.settings_at(now).account_report_every_months;
    let mut owed: Vec<(&Mandate, governance_core::time::Period)> = movement
        .missing_reports(now)
        .into_iter()
        .filter(|d| d.holder == member)
        .filter_map(|d| movement.mandate(d.mandate).map(|m| (m, d.covers)))
        .collect();
    for m in movement.mandates_of(member) {
        let end = m.effective_end();
        if end <= now {
            continue;
        }
        owed.extend(
            due_periods(m, every, end)
                .into_iter()
                .filter(|p| p.ends_at() > now)
                .map(|p| (m, p)),
        );
    }
    owed.into_iter()
        .map(|(m, covers)| {
            let unit = movement.unit_name(m.unit);
            let overdue = covers.ends_at() <= now;
            CalEvent {
                uid: format!(
                    "report-{}-{}@{UID_DOMAIN}",
                    m.id,
                    covers.ends_at().format("%Y%m%dT%H%M%SZ")
                ),
                sequence: 0,
                // The obligation exists since the holder committed to the mandate (R4).
                stamp: m.committed_at.unwrap_or(m.assigned_at),
                start: covers.ends_at(),
                end: None,
                summary: format!("Compte rendu à rendre : {} — {unit}", role_fr(m.role)),
                description: format!(
                    "Compte rendu du mandat ({}) dans {unit} pour la période du {} au {}.{}",
                    role_fr(m.role),
                    when(covers.starts_at(), tz),
                    when(covers.ends_at(), tz),
                    if overdue {
                        " En retard : il n'a pas encore été rendu."
                    } else {
                        ""
                    }
                ),
                location: None,
                status: Status::Confirmed,
            }
        })
        .collect()
}

/// A meeting's name in French.
fn meeting_title(movement: &Movement, m: &Meeting) -> String {
    match m.kind {
        MeetingKind::Agora => "Agora".to_owned(),
        MeetingKind::Gouvernance => "Réunion de Gouvernance".to_owned(),
        MeetingKind::Fonctionnement => "Réunion de Fonctionnement".to_owned(),
        MeetingKind::Unit(u) => format!("Réunion : {}", movement.unit_name(u)),
    }
}

/// A meeting as an event: its agenda in the description, tentative while its petition lacks
/// signatures. Its revision is the last change to what the event shows (convened, an agenda
/// item added); the SEQUENCE grows when a petition's meeting becomes convened.
fn meeting(movement: &Movement, m: &Meeting) -> CalEvent {
    let mut description = String::new();
    if !m.items.is_empty() {
        description.push_str("Ordre du jour :");
        for entry in &m.items {
            let item = match &entry.item {
                AgendaItem::Domain(d) => format!("domaine « {} »", d.as_str()),
                AgendaItem::Tension(t) => match movement.tension(*t) {
                    Some(t) => format!("tension « {} »", t.title.as_str()),
                    None => format!("tension {t}"),
                },
                AgendaItem::Escalation(e) => match movement.escalation(*e) {
                    Some(e) => format!("proposition remontée « {} »", e.proposal.title.as_str()),
                    None => format!("proposition remontée {e}"),
                },
            };
            description.push_str("\n- ");
            description.push_str(&item);
        }
    }
    let (status, sequence) = match m.convened_at {
        Some(c) if c > m.scheduled_at => (Status::Confirmed, 1),
        Some(_) => (Status::Confirmed, 0),
        None => (Status::Tentative, 0),
    };
    if status == Status::Tentative {
        if !description.is_empty() {
            description.push('\n');
        }
        description.push_str("Pétition en cours : la réunion n'est pas encore convoquée.");
    }
    let stamp = m
        .items
        .iter()
        .map(|i| i.added_at)
        .chain(m.convened_at)
        .fold(m.scheduled_at, DateTime::max);
    CalEvent {
        uid: format!("meeting-{}@{UID_DOMAIN}", m.id),
        sequence,
        stamp,
        start: m.held_at,
        end: m.ends_at,
        summary: meeting_title(movement, m),
        description,
        location: m.place.as_ref().map(|p| p.as_str().to_owned()),
        status,
    }
}

/// Events in a stable order: by date, then UID.
fn sorted(mut events: Vec<CalEvent>) -> Vec<CalEvent> {
    events.sort_by(|a, b| (a.start, &a.uid).cmp(&(b.start, &b.uid)));
    events.dedup_by(|a, b| a.uid == b.uid);
    events
}

/// A member's feed at `now`: the ends of their mandates, the reports they owe, and the meetings
/// of every body whose college they belong to.
pub fn member_feed(movement: &Movement, member: MemberId, now: Instant) -> Vec<CalEvent> {
    let tz = movement.settings_at(now).time_zone;
    let mut events: Vec<CalEvent> = movement
        .mandates_of(member)
        .map(|m| mandate_end(movement, m, tz))
        .collect();
    events.extend(reports_due(movement, member, now, tz));
    // One college per body, computed once (the Agora's is every member).
    let mut colleges: HashMap<UnitId, bool> = HashMap::new();
    for m in movement.meetings() {
        let Some(body) = m.body else { continue };
        let sits = *colleges
            .entry(body)
            .or_insert_with(|| movement.college(body, now).contains(&member));
        if sits {
            events.push(meeting(movement, m));
        }
    }
    sorted(events)
}

/// A unit's feed at `now`: its meetings, the ends of its mandates, and, if it holds the
/// Fonctionnement meetings, when the next one is due (R2).
pub fn unit_feed(movement: &Movement, unit: UnitId, now: Instant) -> Vec<CalEvent> {
    let tz = movement.settings_at(now).time_zone;
    let mut events: Vec<CalEvent> = movement
        .mandates_in(unit)
        .map(|m| mandate_end(movement, m, tz))
        .collect();
    events.extend(
        movement
            .meetings()
            .iter()
            .filter(|m| m.body == Some(unit))
            .map(|m| meeting(movement, m)),
    );
    if movement.meeting_body(MeetingKind::Fonctionnement, now) == Some(unit)
        && let Some(due) = movement.fonctionnement_due(now)
    {
        // The date moves each time a Fonctionnement meeting is held: its revision is the last
        // one held (or the founding), its sequence how many were held.
        let held: Vec<Instant> = movement
            .meetings()
            .iter()
            .filter(|m| m.kind == MeetingKind::Fonctionnement)
            .filter(|m| m.held_at <= now && !m.attendees.is_empty())
            .map(|m| m.held_at)
            .collect();
        let stamp = held
            .iter()
            .copied()
            .max()
            .or_else(|| movement.decisions().first().map(|d| d.decided_at()))
            .unwrap_or(due);
        events.push(CalEvent {
            uid: format!(
                "fonctionnement-due-{}@{UID_DOMAIN}",
                movement.organization().id
            ),
            sequence: held.len() as u32,
            stamp,
            start: due,
            end: None,
            summary: "Réunion de Fonctionnement à tenir".to_owned(),
            description: format!(
                "Selon la cadence du mouvement, la prochaine réunion de Fonctionnement est due le {}.",
                when(due, tz)
            ),
            location: None,
            status: Status::Confirmed,
        });
    }
    sorted(events)
}
