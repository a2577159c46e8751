//! Meetings (R2, R10) and the escalation inbox (R9): the queries that read them, the writes that
//! convene, sign, give proxies, close the relevé and escalate, and their inputs. The objects are
//! in `objects.rs`.

mod objects;

pub use objects::{CadenceObject, EscalationObject, MeetingObject};

use super::context::{Written, lang, member, now, state, write};
use super::inputs::{self, RecordDecisionInput, check_len, decision_draft, domain, label, sane};
use super::{ApiError, ApiResult};
use async_graphql::{Context, InputObject, Object, OneofObject, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::{DecisionId, Event, MemberId};
use uuid::Uuid;

/// The kind of a meeting to convene.
#[derive(Debug, OneofObject)]
pub enum MeetingKindInput {
    Gouvernance(bool),
    Fonctionnement(bool),
    Agora(bool),
    Unit(Uuid),
}

impl MeetingKindInput {
    pub fn into_core(self) -> governance_core::MeetingKind {
        use governance_core::MeetingKind as K;
        match self {
            MeetingKindInput::Gouvernance(_) => K::Gouvernance,
            MeetingKindInput::Fonctionnement(_) => K::Fonctionnement,
            MeetingKindInput::Agora(_) => K::Agora,
            MeetingKindInput::Unit(u) => K::Unit(u.into()),
        }
    }
}

/// One item of an agenda; exactly one field is set.
#[derive(Debug, OneofObject)]
pub enum AgendaItemInput {
    /// Decisions in a domain of the deciding unit.
    Domain(String),
    /// A tension to process.
    Tension(Uuid),
    /// A proposal escalated to this body.
    Escalation(Uuid),
}

impl AgendaItemInput {
    pub fn into_core(self) -> Result<governance_core::AgendaItem, ApiError> {
        use governance_core::AgendaItem as A;
        Ok(match self {
            AgendaItemInput::Domain(d) => A::Domain(domain(&d)?),
            AgendaItemInput::Tension(t) => A::Tension(t.into()),
            AgendaItemInput::Escalation(e) => A::Escalation(e.into()),
        })
    }
}

/// A convocation (R10).
#[derive(Debug, InputObject)]
pub struct ConveneMeetingInput {
    pub kind: MeetingKindInput,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The place, or the link of an online meeting.
    pub place: String,
    #[graphql(default)]
    pub agenda: Vec<AgendaItemInput>,
}

/// A meeting after a change, and the revision.
#[derive(SimpleObject)]
pub struct MeetingResult {
    pub meeting: MeetingObject,
    pub revision: i64,
}

/// An escalated proposal, and the revision.
#[derive(SimpleObject)]
pub struct EscalationResult {
    pub escalation: EscalationObject,
    pub revision: i64,
}

/// Reads of meetings, of their cadence and of the escalation inbox.
#[derive(Debug, Default)]
pub struct MeetingsQuery;

#[Object]
impl MeetingsQuery {
    /// Meetings, in the order scheduled.
    async fn meetings(&self, ctx: &Context<'_>) -> ApiResult<Vec<MeetingObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .meetings()
            .iter()
            .cloned()
            .map(MeetingObject)
            .collect())
    }

    /// One meeting.
    async fn meeting(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<MeetingObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .meeting(governance_core::MeetingId::from_uuid(id))
            .cloned()
            .map(MeetingObject))
    }

    /// The proposals escalated to a body that wait for its answer (R9): the Coordination's by
    /// default, or the Agora's. With `includeAnswered`, the answered ones too.
    async fn inbox(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
        #[graphql(default = false)] include_answered: bool,
    ) -> ApiResult<Vec<EscalationObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        let m = &s.movement;
        let Some(body) = unit_id.map(Into::into).or(m.coordination()) else {
            return Ok(Vec::new());
        };
        let at = now();
        Ok(m.escalations()
            .iter()
            .filter(|e| e.body == body && (include_answered || e.is_open_at(at)))
            .cloned()
            .map(EscalationObject)
            .collect())
    }

    /// One escalated proposal.
    async fn escalation(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<EscalationObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .escalation(governance_core::EscalationId::from_uuid(id))
            .cloned()
            .map(EscalationObject))
    }

    /// When the Fonctionnement and Gouvernance meetings are due, now or at `at` (R2).
    async fn meeting_cadence(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<CadenceObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .meeting_cadence(inputs::when(at)?)
            .iter()
            .map(CadenceObject::of)
            .collect())
    }

    /// The recurring meetings whose due date has passed without one taking place (R2).
    async fn overdue_meetings(&self, ctx: &Context<'_>) -> ApiResult<Vec<CadenceObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .meeting_cadence(now())
            .iter()
            .filter(|c| c.overdue)
            .map(CadenceObject::of)
            .collect())
    }
}

/// Writes on meetings, and escalations to a body.
#[derive(Debug, Default)]
pub struct MeetingsMutation;

#[Object]
impl MeetingsMutation {
    /// Convenes a meeting (R10): by a referent or holder in force of the unit (for the Agora,
    /// of the Coordination), with the notice the settings ask, a place and an agenda. An Agora
    /// convened by any other member opens a petition, convened once enough members sign it.
    async fn convene_meeting(
        &self,
        ctx: &Context<'_>,
        input: ConveneMeetingInput,
    ) -> ApiResult<MeetingResult> {
        let id = governance_core::MeetingId::from_uuid(Uuid::now_v7());
        let l = lang(ctx);
        let written = write(ctx, None, move |_, at, me| {
            check_len(&input.agenda, "agenda", l)?;
            Ok(Event::MeetingConvened(Box::new(
                governance_core::Convocation {
                    meeting: id,
                    kind: input.kind.into_core(),
                    starts_at: sane("startsAt", input.starts_at)?,
                    ends_at: sane("endsAt", input.ends_at)?,
                    place: label("place", &input.place)?,
                    agenda: input
                        .agenda
                        .into_iter()
                        .map(AgendaItemInput::into_core)
                        .collect::<Result<_, _>>()?,
                    by: me,
                    at,
                },
            )))
        })
        .await?;
        meeting_result(ctx, written)
    }

    /// Signs the petition for an Agora, for oneself.
    async fn sign_petition(&self, ctx: &Context<'_>, meeting_id: Uuid) -> ApiResult<MeetingResult> {
        on_meeting(ctx, meeting_id, move |meeting, me, at| {
            Ok(Event::PetitionSigned {
                meeting,
                member: me,
                by: me,
                at,
            })
        })
        .await
    }

    /// Puts an item on a meeting's agenda before it starts (its convener, or anyone entitled
    /// to convene that body).
    async fn add_agenda_item(
        &self,
        ctx: &Context<'_>,
        meeting_id: Uuid,
        item: AgendaItemInput,
    ) -> ApiResult<MeetingResult> {
        on_meeting(ctx, meeting_id, move |meeting, me, at| {
            Ok(Event::AgendaItemAdded {
                meeting,
                item: item.into_core()?,
                by: me,
                at,
            })
        })
        .await
    }

    /// Signs the caller's own presence on the attendance sheet, while the meeting takes place.
    async fn sign_attendance(
        &self,
        ctx: &Context<'_>,
        meeting_id: Uuid,
    ) -> ApiResult<MeetingResult> {
        on_meeting(ctx, meeting_id, move |meeting, me, at| {
            Ok(Event::AttendanceSigned {
                meeting,
                member: me,
                by: me,
                at,
            })
        })
        .await
    }

    /// Gives the caller's proxy (pouvoir) for a meeting to another member, before it starts.
    async fn give_proxy(
        &self,
        ctx: &Context<'_>,
        meeting_id: Uuid,
        to_member_id: Uuid,
    ) -> ApiResult<MeetingResult> {
        on_meeting(ctx, meeting_id, move |meeting, me, at| {
            Ok(Event::ProxyGiven {
                meeting,
                from: me,
                to: to_member_id.into(),
                by: me,
                at,
            })
        })
        .await
    }

    /// Withdraws the caller's proxy for a meeting, before it starts.
    async fn withdraw_proxy(
        &self,
        ctx: &Context<'_>,
        meeting_id: Uuid,
    ) -> ApiResult<MeetingResult> {
        on_meeting(ctx, meeting_id, move |meeting, me, at| {
            Ok(Event::ProxyWithdrawn {
                meeting,
                from: me,
                by: me,
                at,
            })
        })
        .await
    }

    /// Closes a meeting's relevé (its chair or a secretary): nothing is added to it after.
    async fn close_minutes(&self, ctx: &Context<'_>, meeting_id: Uuid) -> ApiResult<MeetingResult> {
        on_meeting(ctx, meeting_id, move |meeting, me, at| {
            Ok(Event::MinutesClosed {
                meeting,
                by: me,
                at,
            })
        })
        .await
    }

    /// Escalates a decision the engine refuses with `ESCALATION_REQUIRED` (R9): the proposal,
    /// with its consultations and route, waits in the inbox of the Coordination or the Agora
    /// until a decision of that body answers it (`escalationId` on `recordDecision`).
    async fn escalate_decision(
        &self,
        ctx: &Context<'_>,
        input: RecordDecisionInput,
    ) -> ApiResult<EscalationResult> {
        let l = lang(ctx);
        let id = governance_core::EscalationId::from_uuid(Uuid::now_v7());
        let proposal_id = DecisionId::from_uuid(Uuid::now_v7());
        let reason = input.reason.clone();
        let written = write(ctx, reason, move |movement, at, me| {
            Ok(Event::Escalated(Box::new(
                governance_core::EscalationRequest {
                    id,
                    proposal: decision_draft(input, movement, at, me, proposal_id, l)?,
                    by: me,
                },
            )))
        })
        .await?;
        let revision = written.revision;
        Ok(EscalationResult {
            escalation: EscalationObject(written.escalation(l)?),
            revision,
        })
    }
}

/// Records the caller's act on one meeting (`build` makes the event from the meeting, the
/// caller and the instant), and answers with the meeting as it now stands.
async fn on_meeting<F>(ctx: &Context<'_>, meeting_id: Uuid, build: F) -> ApiResult<MeetingResult>
where
    F: FnOnce(
            governance_core::MeetingId,
            MemberId,
            governance_core::Instant,
        ) -> Result<Event, ApiError>
        + Send
        + 'static,
{
    let id = governance_core::MeetingId::from_uuid(meeting_id);
    let written = write(ctx, None, move |_, at, me| build(id, me, at)).await?;
    meeting_result(ctx, written)
}

fn meeting_result(ctx: &Context<'_>, written: Written) -> ApiResult<MeetingResult> {
    let revision = written.revision;
    Ok(MeetingResult {
        meeting: MeetingObject(written.meeting(lang(ctx))?),
        revision,
    })
}
