//! What an event of the log causes to be sent: the convocation to a college, and the webhook
//! deliveries of the events other tools subscribe to. Worked out from the state right after the
//! event, and queued in the event's own transaction: the message exists if and only if the
//! event was committed.

use super::compose::{self, Links};
use super::queue::{self, NewMessage};
use super::{Channel, OutboxConfig, preferences, webhook};
use chrono::{DateTime, Utc};
use governance_core::{
    DecisionRecord, Effect, Event, Mandate, MandateId, MeetingId, Movement, OrganizationId,
    TensionId, queries::Reader, tension::TensionStatus,
};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::{Value, json};

/// A webhook event, before it is addressed to the hooks that want it.
#[derive(Debug, Clone, PartialEq)]
pub struct HookEvent {
    /// `decision.recorded`, `mandate.committed`, …
    pub name: &'static str,
    /// What the event is about, for the delivery's key: the same subject never goes twice to
    /// the same hook.
    pub subject: String,
    /// Whether a hook marked public may receive it: only what outsiders may read (R17).
    pub public: bool,
    pub occurred_at: DateTime<Utc>,
    pub data: Value,
}

/// What one event causes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Caused {
    convened: Option<MeetingId>,
    hooks: Vec<HookEvent>,
}

impl Caused {
    /// Worked out from `movement` as it stands right after `event` was applied.
    pub fn of(movement: &Movement, event: &Event) -> Self {
        let mut caused = Caused::default();
        match event {
            Event::MeetingConvened(c) => caused.note_convened(movement, c.meeting, c.at),
            Event::PetitionSigned { meeting, at, .. } => {
                caused.note_convened(movement, *meeting, *at)
            }
            Event::Decision(d) => {
                if let Some(record) = movement.decision(d.id) {
                    caused.hooks.push(decision_recorded(movement, record));
                }
                for effect in &d.effects {
                    if let Effect::RevokeMandate { mandate } = effect
                        && let Some(m) = movement.mandate(*mandate)
                    {
                        caused.hooks.push(mandate_event(
                            "mandate.revoked",
                            movement,
                            m,
                            d.decided_at,
                        ));
                    }
                }
            }
            Event::Commitment { mandate, at, .. } => {
                if let Some(m) = movement.mandate(*mandate) {
                    caused
                        .hooks
                        .push(mandate_event("mandate.committed", movement, m, *at));
                }
            }
            Event::TensionRaised(t) => {
                caused.note_tension("tension.raised", movement, t.id, t.raised_at)
            }
            Event::TensionProcessed { tension, at, .. } => {
                caused.note_tension("tension.processed", movement, *tension, *at)
            }
            _ => {}
        }
        caused
    }

    pub fn is_empty(&self) -> bool {
        self.convened.is_none() && self.hooks.is_empty()
    }

    /// A meeting convened by this very event: at once, or by the signature that completed its
    /// petition.
    fn note_convened(&mut self, movement: &Movement, meeting: MeetingId, at: DateTime<Utc>) {
        if movement
            .meeting(meeting)
            .is_some_and(|m| m.convened_at == Some(at))
        {
            self.convened = Some(meeting);
        }
    }

    fn note_tension(
        &mut self,
        name: &'static str,
        movement: &Movement,
        tension: TensionId,
        at: DateTime<Utc>,
    ) {
        if let Some(t) = movement.tension(tension) {
            self.hooks.push(HookEvent {
                name,
                subject: tension.to_string(),
                public: false,
                occurred_at: at,
                data: json!({
                    "id": t.id.to_string(),
                    "title": t.title.as_str(),
                    "description": t.description.as_str(),
                    "raisedBy": movement.member_name(t.raised_by),
                    "raisedAt": t.raised_at.to_rfc3339(),
                    "status": status_name(&t.status),
                    "outcome": match &t.status {
                        TensionStatus::Processed { outcome, .. } => Some(outcome.as_str()),
                        _ => None,
                    },
                }),
            });
        }
    }
}

/// A tension's status as the API spells it.
fn status_name(s: &TensionStatus) -> &'static str {
    match s {
        TensionStatus::Open => "open",
        TensionStatus::Scheduled { .. } => "scheduled",
        TensionStatus::Processed { .. } => "processed",
        TensionStatus::Withdrawn { .. } => "withdrawn",
    }
}

/// `decision.recorded`: what the record says, as a member reads it.
fn decision_recorded(movement: &Movement, d: &DecisionRecord) -> HookEvent {
    let draft = d.draft();
    // What an outsider may read, as the core says it (R17).
    let public = movement.may_read(Reader::Outsider, d, d.decided_at());
    HookEvent {
        name: "decision.recorded",
        subject: d.id().to_string(),
        public,
        occurred_at: d.decided_at(),
        data: json!({
            "id": d.id().to_string(),
            "unitId": d.unit().to_string(),
            "unitName": movement.unit_name(d.unit()),
            "domain": draft.domain.as_str(),
            "title": draft.title.as_str(),
            "statement": draft.statement.as_str(),
            "rationale": draft.rationale.as_str(),
            "decidedAt": d.decided_at().to_rfc3339(),
            "public": public,
        }),
    }
}

/// A mandate's event: who holds what, where, until when. Mandates are internal: never public.
pub(crate) fn mandate_event(
    name: &'static str,
    movement: &Movement,
    m: &Mandate,
    at: DateTime<Utc>,
) -> HookEvent {
    HookEvent {
        name,
        subject: mandate_subject(name, m.id, m.effective_end()),
        public: false,
        occurred_at: at,
        data: json!({
            "mandateId": m.id.to_string(),
            "holderId": m.holder.to_string(),
            "holderName": movement.member_name(m.holder),
            "unitId": m.unit.to_string(),
            "unitName": movement.unit_name(m.unit),
            "role": format!("{:?}", m.role).to_lowercase(),
            "startsAt": m.period.starts_at().to_rfc3339(),
            "endsAt": m.effective_end().to_rfc3339(),
        }),
    }
}

fn mandate_subject(name: &str, id: MandateId, end: DateTime<Utc>) -> String {
    // An expiry is keyed by its date too: a mandate's end can move (a revocation before it).
    if name == "mandate.expired" {
        format!("{id}:{}", end.timestamp_micros())
    } else {
        id.to_string()
    }
}

/// Queues what `caused` asks for, in the caller's transaction. Mail only when this server
/// sends mail (`config`); webhook deliveries whenever a hook wants the event.
pub async fn enqueue_caused<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    movement: &Movement,
    caused: Caused,
    config: Option<&OutboxConfig>,
    hooks: &mut Option<Vec<webhook::Hook>>,
) -> Result<u64, DbErr> {
    if caused.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let mut messages = Vec::new();
    if let (Some(meeting), Some(config)) = (caused.convened, config.filter(|c| c.mail)) {
        messages.extend(convocations(db, org, movement, meeting, config, now).await?);
    }
    if !caused.hooks.is_empty() {
        // Read once per transaction: the events of one batch share them (hooks change outside
        // the write path, in transactions of their own).
        if hooks.is_none() {
            *hooks = Some(webhook::active(db, org).await?);
        }
        let hooks = hooks.as_deref().unwrap_or_default();
        for event in &caused.hooks {
            for hook in hooks.iter().filter(|h| h.wants(event)) {
                messages.push(hook.delivery(org, event));
            }
        }
    }
    queue::enqueue(db, org, messages, now).await
}

/// One convocation per member of the meeting's college who takes reminders.
async fn convocations<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    movement: &Movement,
    meeting: MeetingId,
    config: &OutboxConfig,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, DbErr> {
    let Some(m) = movement.meeting(meeting) else {
        return Ok(Vec::new());
    };
    let Some(body) = m.body else {
        return Ok(Vec::new());
    };
    // A meeting already begun needs no convocation (the demo's, seeded into the past).
    if m.held_at <= now {
        return Ok(Vec::new());
    }
    let at = m.convened_at.unwrap_or(m.scheduled_at);
    let college = movement.college(body, at);
    let prefs = preferences::ensure_all(db, org, &college, now).await?;
    let root = super::schedule::movement_root(db, org, config).await?;
    let mut out = Vec::new();
    for member in college {
        let (Some(person), Some(p)) = (movement.member(member), prefs.get(&member)) else {
            continue;
        };
        if !p.reminders {
            continue;
        }
        let links = Links {
            root: root.clone(),
            unsubscribe_key: p.unsubscribe_key.clone(),
        };
        let mail = compose::convened(movement, m, person.name.as_str(), &links);
        out.push(NewMessage {
            key: format!("mail:convened:{meeting}:{member}"),
            channel: Channel::Mail,
            recipient: person.email.as_str().to_owned(),
            member: Some(member.as_uuid()),
            webhook: None,
            subject: Some(mail.subject),
            body: mail.body,
        });
    }
    Ok(out)
}
