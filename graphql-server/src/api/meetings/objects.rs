//! GraphQL types of meetings (R2, R10) and of the escalation inbox (R9): convocation, agenda,
//! attendance sheet, proxies, quorum, relevé, cadence. They wrap the core's values; every
//! figure (participants, quorum, status) is the core's answer, never recomputed here.

use crate::api::ApiResult;
use crate::api::context::{now, state};
use crate::api::decisions::{ConsultationObject, DecisionObject};
use crate::api::inputs;
use crate::api::mandates::{EscalationStepObject, route};
use crate::api::tensions::TensionObject;
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::meeting::{AgendaItem, Convener, Meeting, MeetingKind};
use governance_core::{Escalation, Movement, RulesVersion};
use uuid::Uuid;

fn kind_name(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::Gouvernance => "gouvernance",
        MeetingKind::Fonctionnement => "fonctionnement",
        MeetingKind::Agora => "agora",
        MeetingKind::Unit(_) => "unit",
    }
}

/// Where a meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "MeetingStatus")]
pub enum MeetingStatusGql {
    /// An Agora petition still short of signatures: not convened.
    Petition,
    /// Convened, not started.
    Convened,
    /// Started and not ended: attendees sign in.
    InSession,
    /// Ended; its relevé is still open to the secretaries.
    Held,
    /// Its relevé is closed: nothing is added to it.
    Closed,
    /// Scheduled under the former rules (before convocations and signatures).
    Legacy,
}

/// A member represented by another through a proxy (pouvoir).
#[derive(Debug, Clone, SimpleObject)]
pub struct Representation {
    pub member_id: Uuid,
    pub member_name: String,
    pub by_id: Uuid,
    pub by_name: String,
}

/// Someone named in an attendance sheet.
#[derive(Debug, Clone, SimpleObject)]
pub struct Attendee {
    pub member_id: Uuid,
    pub name: String,
}

/// The attendance sheet at one instant, with the quorum (R10).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Attendance")]
pub struct AttendanceObject {
    /// Who may take part: all members for the Agora, the unit's college otherwise.
    pub college_size: i32,
    /// Signed members of the college.
    pub present: Vec<Attendee>,
    /// Members of the college represented by a present member.
    pub represented: Vec<Representation>,
    /// Signed people outside the college: they attend but do not decide.
    pub guests: Vec<Attendee>,
    /// Participants, present or represented.
    pub count: i32,
    /// How many participants the meeting needs to decide.
    pub quorum: i32,
    pub quorum_reached: bool,
}

/// A proxy given for a meeting.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Proxy")]
pub struct ProxyObject {
    pub from_id: Uuid,
    pub from_name: String,
    pub to_id: Uuid,
    pub to_name: String,
    pub given_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// One agenda item (ordre du jour).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "AgendaItem")]
pub struct AgendaItemObject {
    /// `domain`, `tension` or `escalation`.
    pub kind: String,
    pub domain: Option<String>,
    pub tension_id: Option<Uuid>,
    pub escalation_id: Option<Uuid>,
    /// A readable title: the domain, the tension's or the proposal's title.
    pub title: String,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
}

fn attendee(m: &Movement, id: governance_core::MemberId) -> Attendee {
    Attendee {
        member_id: id.as_uuid(),
        name: m.member_name(id),
    }
}

/// A meeting (R2, R10).
#[derive(Debug, Clone)]
pub struct MeetingObject(pub Meeting);

/// The delay to close a meeting's relevé, as the settings said when it started.
async fn close_days(ctx: &Context<'_>, m: &Meeting) -> ApiResult<u32> {
    let s = state(ctx, None).await?;
    Ok(s.movement
        .settings_at(m.held_at)
        .meetings
        .minutes_close_days)
}

#[Object(name = "Meeting", serial)]
impl MeetingObject {
    async fn id(&self) -> Uuid {
        self.0.id.as_uuid()
    }
    /// `gouvernance`, `fonctionnement`, `agora` or `unit`.
    async fn kind(&self) -> &str {
        kind_name(self.0.kind)
    }
    /// The unit of a unit meeting.
    async fn unit_id(&self) -> Option<Uuid> {
        match self.0.kind {
            MeetingKind::Unit(u) => Some(u.as_uuid()),
            _ => None,
        }
    }
    /// The unit that decides in this meeting.
    async fn body_id(&self) -> Option<Uuid> {
        self.0.body.map(|b| b.as_uuid())
    }
    async fn body_name(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        let s = state(ctx, None).await?;
        Ok(self.0.body.map(|b| s.movement.unit_name(b)))
    }
    /// When it starts.
    async fn held_at(&self) -> DateTime<Utc> {
        self.0.held_at
    }
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.0.ends_at
    }
    async fn place(&self) -> Option<String> {
        self.0.place.as_ref().map(|p| p.to_string())
    }
    async fn scheduled_at(&self) -> DateTime<Utc> {
        self.0.scheduled_at
    }
    /// When it was convened (for a petition, when enough members had signed).
    async fn convened_at(&self) -> Option<DateTime<Utc>> {
        self.0.convened_at
    }
    /// Who convened it (the petition's opener for a petition; none for the founding).
    async fn convened_by(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        let s = state(ctx, None).await?;
        Ok(match &self.0.convener {
            Convener::Member(m) | Convener::Legacy(m) => Some(s.movement.member_name(*m)),
            Convener::Petition { opened_by, .. } => Some(s.movement.member_name(*opened_by)),
            Convener::Founding => None,
        })
    }
    /// The signatures of its petition, for an Agora convened by petition.
    async fn petition_signatures(&self, ctx: &Context<'_>) -> ApiResult<Vec<Attendee>> {
        let s = state(ctx, None).await?;
        Ok(match &self.0.convener {
            Convener::Petition { signatures, .. } => signatures
                .iter()
                .map(|x| attendee(&s.movement, x.member))
                .collect(),
            _ => Vec::new(),
        })
    }
    async fn status(&self, ctx: &Context<'_>) -> ApiResult<MeetingStatusGql> {
        let at = now();
        let m = &self.0;
        let close_days = close_days(ctx, m).await?;
        Ok(if m.rules == RulesVersion::V1 {
            MeetingStatusGql::Legacy
        } else if m.convened_at.is_none() {
            MeetingStatusGql::Petition
        } else if at >= m.held_at && !m.minutes_open_at(at, close_days) {
            MeetingStatusGql::Closed
        } else if at < m.held_at {
            MeetingStatusGql::Convened
        } else if m.ends_at.is_some_and(|e| at < e) {
            MeetingStatusGql::InSession
        } else {
            MeetingStatusGql::Held
        })
    }
    /// Who signed, in order: for a meeting under the former rules, who was declared present.
    async fn attendees(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .attendees
            .iter()
            .map(|a| s.movement.member_name(*a))
            .collect())
    }
    /// The attendance sheet and the quorum, now or at `at`.
    async fn attendance(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
    ) -> ApiResult<Option<AttendanceObject>> {
        let s = state(ctx, None).await?;
        let m = &s.movement;
        Ok(m.attendance(self.0.id, inputs::when(at)?)
            .map(|a| AttendanceObject {
                college_size: a.college.len() as i32,
                present: a.present.iter().map(|p| attendee(m, *p)).collect(),
                represented: a
                    .represented
                    .iter()
                    .map(|(who, by)| Representation {
                        member_id: who.as_uuid(),
                        member_name: m.member_name(*who),
                        by_id: by.as_uuid(),
                        by_name: m.member_name(*by),
                    })
                    .collect(),
                guests: a.guests.iter().map(|g| attendee(m, *g)).collect(),
                count: a.count() as i32,
                quorum: a.quorum as i32,
                quorum_reached: a.has_quorum(),
            }))
    }
    /// Proxies given for it, withdrawn ones included.
    async fn proxies(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProxyObject>> {
        let s = state(ctx, None).await?;
        let m = &s.movement;
        Ok(self
            .0
            .proxies
            .iter()
            .map(|p| ProxyObject {
                from_id: p.from.as_uuid(),
                from_name: m.member_name(p.from),
                to_id: p.to.as_uuid(),
                to_name: m.member_name(p.to),
                given_at: p.given_at,
                withdrawn_at: p.withdrawn_at,
            })
            .collect())
    }
    /// The tensions on its agenda.
    async fn agenda(&self, ctx: &Context<'_>) -> ApiResult<Vec<TensionObject>> {
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .agenda
            .iter()
            .filter_map(|t| s.movement.tension(*t))
            .cloned()
            .map(TensionObject)
            .collect())
    }
    /// Its whole agenda (ordre du jour), with when each item was added.
    async fn agenda_items(&self, ctx: &Context<'_>) -> ApiResult<Vec<AgendaItemObject>> {
        let s = state(ctx, None).await?;
        let m = &s.movement;
        Ok(self
            .0
            .items
            .iter()
            .map(|e| {
                let (kind, domain, tension, escalation, title) = match &e.item {
                    AgendaItem::Domain(d) => {
                        ("domain", Some(d.to_string()), None, None, d.to_string())
                    }
                    AgendaItem::Tension(t) => (
                        "tension",
                        None,
                        Some(t.as_uuid()),
                        None,
                        m.tension(*t)
                            .map(|x| x.title.to_string())
                            .unwrap_or_default(),
                    ),
                    AgendaItem::Escalation(x) => (
                        "escalation",
                        None,
                        None,
                        Some(x.as_uuid()),
                        m.escalation(*x)
                            .map(|x| x.proposal.title.to_string())
                            .unwrap_or_default(),
                    ),
                };
                AgendaItemObject {
                    kind: kind.into(),
                    domain,
                    tension_id: tension,
                    escalation_id: escalation,
                    title,
                    added_at: e.added_at,
                    added_by: m.member_name(e.added_by),
                }
            })
            .collect())
    }
    /// The relevé de décisions of the meeting.
    async fn decisions(&self, ctx: &Context<'_>) -> ApiResult<Vec<DecisionObject>> {
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .decisions
            .iter()
            .filter_map(|d| s.movement.decision(*d))
            .cloned()
            .map(DecisionObject)
            .collect())
    }
    /// Who recorded its decisions.
    async fn secretaries(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .secretaries
            .iter()
            .map(|m| s.movement.member_name(*m))
            .collect())
    }
    /// When its relevé was closed: by its chair or a secretary, or by itself at the end of the
    /// delay after the meeting (if that is past).
    async fn closed_at(&self, ctx: &Context<'_>) -> ApiResult<Option<DateTime<Utc>>> {
        let m = &self.0;
        if m.rules == RulesVersion::V1 {
            return Ok(None);
        }
        let deadline = m.minutes_deadline(close_days(ctx, m).await?);
        Ok(deadline.filter(|d| *d <= now()))
    }
}

/// A proposal escalated to the Coordination or the Agora (R9).
#[derive(Debug, Clone)]
pub struct EscalationObject(pub Escalation);

#[Object(name = "Escalation", serial)]
impl EscalationObject {
    async fn id(&self) -> Uuid {
        self.0.id.as_uuid()
    }
    /// When it was escalated.
    async fn escalated_at(&self) -> DateTime<Utc> {
        self.0.at
    }
    async fn escalated_by(&self, ctx: &Context<'_>) -> ApiResult<String> {
        let s = state(ctx, None).await?;
        Ok(s.movement.member_name(self.0.by))
    }
    /// The unit whose inbox holds it.
    async fn body_id(&self) -> Uuid {
        self.0.body.as_uuid()
    }
    async fn body_name(&self, ctx: &Context<'_>) -> ApiResult<String> {
        let s = state(ctx, None).await?;
        Ok(s.movement.unit_name(self.0.body))
    }
    /// The proposal as the holder wrote it.
    async fn title(&self) -> &str {
        self.0.proposal.title.as_str()
    }
    async fn statement(&self) -> &str {
        self.0.proposal.statement.as_str()
    }
    async fn rationale(&self) -> &str {
        self.0.proposal.rationale.as_str()
    }
    /// The unit and domain it was proposed in.
    async fn unit_name(&self, ctx: &Context<'_>) -> ApiResult<String> {
        let s = state(ctx, None).await?;
        Ok(s.movement.unit_name(self.0.proposal.unit))
    }
    async fn domain(&self) -> &str {
        self.0.proposal.domain.as_str()
    }
    /// Who was consulted, and what they said (R8).
    async fn consultations(&self, ctx: &Context<'_>) -> ApiResult<Vec<ConsultationObject>> {
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .proposal
            .consultations
            .iter()
            .map(|c| ConsultationObject::of(&s.movement, c))
            .collect())
    }
    /// The route it took up.
    async fn route(&self, ctx: &Context<'_>) -> ApiResult<Vec<EscalationStepObject>> {
        let s = state(ctx, None).await?;
        Ok(route(&s.movement, &self.0.route))
    }
    /// The decision that answered it, if any.
    async fn answered_by(&self) -> Option<Uuid> {
        self.0.answered.map(|(d, _)| d.as_uuid())
    }
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered.map(|(_, at)| at)
    }
}

/// When a recurring meeting is due (R2).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "MeetingCadence")]
pub struct CadenceObject {
    /// `fonctionnement` or `gouvernance`.
    pub kind: String,
    pub every_months: i32,
    pub last_held: Option<DateTime<Utc>>,
    pub due_at: DateTime<Utc>,
    pub next_convened: Option<Uuid>,
    /// The due date passed without such a meeting taking place.
    pub overdue: bool,
}

impl CadenceObject {
    pub fn of(c: &governance_core::meeting_rules::Cadence) -> Self {
        Self {
            kind: kind_name(c.kind).into(),
            every_months: c.every_months as i32,
            last_held: c.last_held,
            due_at: c.due_at,
            next_convened: c.next_convened.map(|m| m.as_uuid()),
            overdue: c.overdue,
        }
    }
}
