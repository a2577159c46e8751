//! Mutations. The caller is always the actor: nobody records in someone else's name, and every
//! write is judged by the core at the server's clock, with no administrator bypass. Each write
//! returns the revision it created.

use super::inputs::*;
use super::meeting::EscalationObject;
use super::subscription::Notice;
use super::types::*;
use super::{ApiError, ApiResult, app, lang, member, state};
use crate::store::{Receipt, StoreError};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::account::AccountReport;
use governance_core::tension::{Space, TensionSubject};
use governance_core::{
    Decider, DecisionDraft, DecisionId, Event, MandateId, MemberId, NewTension, TensionId,
};
use uuid::Uuid;

/// The root of writes.
#[derive(Debug, Default)]
pub struct Mutation;

/// A recorded decision and the revision it created.
#[derive(SimpleObject)]
pub struct DecisionResult {
    pub decision: DecisionObject,
    pub revision: i64,
}

/// A mandate after a change, and the revision.
#[derive(SimpleObject)]
pub struct MandateResult {
    pub mandate: MandateObject,
    pub revision: i64,
}

/// A tension after a change, and the revision.
#[derive(SimpleObject)]
pub struct TensionResult {
    pub tension: TensionObject,
    pub revision: i64,
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

/// A rendered account report, and the revision.
#[derive(SimpleObject)]
pub struct AccountReportResult {
    pub report: AccountReportObject,
    pub revision: i64,
}

/// Runs one write for the calling member and maps a refusal to its typed error.
async fn write<F>(ctx: &Context<'_>, reason: Option<String>, build: F) -> ApiResult<Receipt>
where
    F: FnOnce(
        &governance_core::Movement,
        governance_core::Instant,
        MemberId,
    ) -> Result<Event, ApiError>,
{
    let me = member(ctx)?;
    let a = app(ctx);
    let reason = reason.map(|r| r.chars().take(2_000).collect::<String>());
    let mut input_error: Option<ApiError> = None;
    let result = a
        .store
        .append_with(a.org, Some(me), reason, |movement, at| {
            match build(movement, at, me) {
                Ok(e) => Ok(e),
                Err(e) => {
                    input_error = Some(e);
                    Err(StoreError::Refused(
                        governance_core::GovernanceError::Decision(
                            governance_core::DecisionError::NotFounded,
                        ),
                    ))
                }
            }
        })
        .await;
    if let Some(e) = input_error {
        return Err(e.into());
    }
    match result {
        Ok(r) => Ok(r),
        Err(StoreError::Refused(g)) => {
            let s = state(ctx, None).await?;
            Err(ApiError::governance(&s.movement, &g, lang(ctx)).into())
        }
        Err(e) => Err(ApiError::store(None, e, lang(ctx)).into()),
    }
}

/// Translates a decision input into the draft the core judges. A decision with `meetingId` is
/// the meeting's, recorded by the caller as its secretary; its participants are, unless the
/// client names them, those the core counts at this instant (the core checks either way).
fn decision_draft(
    input: RecordDecisionInput,
    movement: &governance_core::Movement,
    at: governance_core::Instant,
    me: MemberId,
    id: DecisionId,
    l: governance_core::messages::Lang,
) -> Result<DecisionDraft, ApiError> {
    let consultations = input.consultations.unwrap_or_default();
    let links = input.links.unwrap_or_default();
    let effects = input.effects.unwrap_or_default();
    check_len(&consultations, "consultations", l)?;
    check_len(&links, "links", l)?;
    check_len(&effects, "effects", l)?;
    let unit = input.unit_id.into();
    let domain = domain(&input.domain)?;
    let meeting = input.meeting_id.map(governance_core::MeetingId::from_uuid);
    let decider = match (meeting, input.participant_ids) {
        (meeting, Some(participants)) => {
            check_len(&participants, "participantIds", l)?;
            Decider::Body {
                meeting,
                participants: participants.into_iter().map(Into::into).collect(),
                secretary: Some(me),
            }
        }
        (Some(m), None) => Decider::Body {
            meeting: Some(m),
            participants: movement
                .attendance(m, at)
                .map(|a| a.participants())
                .unwrap_or_default(),
            secretary: Some(me),
        },
        (None, None) => {
            let mandate = input
                .mandate_id
                .map(MandateId::from_uuid)
                .or_else(|| {
                    movement
                        .authorize(me, unit, &domain, at)
                        .ok()
                        .map(|c| c.mandate)
                })
                .or_else(|| {
                    movement
                        .mandates_of(me)
                        .find(|m| m.unit == unit)
                        .map(|m| m.id)
                })
                .unwrap_or(MandateId::from_uuid(Uuid::nil()));
            Decider::Holder {
                member: me,
                mandate,
            }
        }
    };
    let settings = movement.settings_at(at);
    Ok(DecisionDraft {
        id,
        unit,
        domain,
        title: label("title", &input.title)?,
        statement: text("statement", input.statement.as_deref())?,
        rationale: text("rationale", input.rationale.as_deref())?,
        decided_at: at,
        effective_from: input
            .effective_from
            .map(|d| sane("effectiveFrom", d))
            .transpose()?,
        effective_until: input
            .effective_until
            .map(|d| sane("effectiveUntil", d))
            .transpose()?,
        decider,
        consultations: consultations
            .into_iter()
            .map(ConsultationInput::into_core)
            .collect::<Result<_, _>>()?,
        impact: match input.impact {
            Some(i) => i.into_core()?,
            None => governance_core::Impact::ThisUnit,
        },
        visibility: input
            .visibility
            .map(Into::into)
            .unwrap_or(governance_core::Visibility::Members),
        links: links.into_iter().map(LinkInput::into_core).collect(),
        effects: effects
            .into_iter()
            .map(|e| e.into_core(at, settings))
            .collect::<Result<_, _>>()?,
        tension: input.tension_id.map(Into::into),
        escalation: input.escalation_id.map(Into::into),
    })
}

#[Object]
impl Mutation {
    /// Records a decision taken by the caller (R8–R12). The core validates it: authority at this
    /// instant, consultations, impact, participants, links and effects. On refusal, nothing is
    /// stored and the error says why and where the decision must go.
    async fn record_decision(
        &self,
        ctx: &Context<'_>,
        input: RecordDecisionInput,
    ) -> ApiResult<DecisionResult> {
        let l = lang(ctx);
        let id = DecisionId::from_uuid(Uuid::now_v7());
        let reason = input.reason.clone();
        let receipt = write(ctx, reason, move |movement, at, me| {
            Ok(Event::Decision(Box::new(decision_draft(
                input, movement, at, me, id, l,
            )?)))
        })
        .await?;
        let _ = app(ctx).notices.send(Notice::Decision(id));
        let s = state(ctx, Some(receipt.revision)).await?;
        let d = s
            .movement
            .decision(id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("decision", l))?;
        Ok(DecisionResult {
            decision: DecisionObject(d),
            revision: receipt.revision,
        })
    }

    /// The holder's formal commitment to their mandate (R4): from then on, it grants power.
    async fn commit_to_mandate(
        &self,
        ctx: &Context<'_>,
        mandate_id: Uuid,
    ) -> ApiResult<MandateResult> {
        let mandate = MandateId::from_uuid(mandate_id);
        let receipt = write(ctx, None, |_, at, me| {
            Ok(Event::Commitment {
                mandate,
                member: me,
                at,
            })
        })
        .await?;
        let s = state(ctx, Some(receipt.revision)).await?;
        let m = s
            .movement
            .mandate(mandate)
            .cloned()
            .ok_or_else(|| ApiError::not_found("mandate", lang(ctx)))?;
        Ok(MandateResult {
            mandate: MandateObject(m),
            revision: receipt.revision,
        })
    }

    /// Raises a tension about a unit, a role or a rule (R13, R14).
    async fn raise_tension(
        &self,
        ctx: &Context<'_>,
        input: RaiseTensionInput,
    ) -> ApiResult<TensionResult> {
        let id = TensionId::from_uuid(Uuid::now_v7());
        let receipt = write(ctx, None, |_, at, me| {
            let subject = match input.about {
                TensionAboutInput::Unit(u) => TensionSubject::Unit(u.into()),
                TensionAboutInput::Role(r) => TensionSubject::Role {
                    unit: r.unit_id.into(),
                    role: r.role.into(),
                },
                TensionAboutInput::Rule(r) => TensionSubject::Rule(label("rule", &r)?),
            };
            let space = input.space.map(|s| match s {
                SpaceInput::Referent(u) => Space::Referent(u.into()),
                SpaceInput::Gouvernance(_) => Space::Gouvernance,
                SpaceInput::Fonctionnement(_) => Space::Fonctionnement,
                SpaceInput::Coordination(_) => Space::Coordination,
                SpaceInput::Agora(_) => Space::Agora,
            });
            Ok(Event::TensionRaised(NewTension {
                id,
                raised_by: me,
                raised_at: at,
                subject,
                space,
                title: label("title", &input.title)?,
                description: text("description", input.description.as_deref())?,
            }))
        })
        .await?;
        let _ = app(ctx).notices.send(Notice::Tension(id));
        tension_result(ctx, id, receipt).await
    }

    /// Puts a tension on the agenda of a meeting of its space.
    async fn schedule_tension(
        &self,
        ctx: &Context<'_>,
        tension_id: Uuid,
        meeting_id: Uuid,
    ) -> ApiResult<TensionResult> {
        let tension = TensionId::from_uuid(tension_id);
        let receipt = write(ctx, None, |_, at, me| {
            Ok(Event::TensionScheduled {
                tension,
                meeting: meeting_id.into(),
                by: me,
                at,
            })
        })
        .await?;
        tension_result(ctx, tension, receipt).await
    }

    /// Records how a tension was processed and the decisions it led to.
    async fn process_tension(
        &self,
        ctx: &Context<'_>,
        tension_id: Uuid,
        outcome: String,
        decision_ids: Option<Vec<Uuid>>,
    ) -> ApiResult<TensionResult> {
        let tension = TensionId::from_uuid(tension_id);
        let receipt = write(ctx, None, |_, at, me| {
            let decisions = decision_ids.unwrap_or_default();
            check_len(&decisions, "decisionIds", lang(ctx))?;
            Ok(Event::TensionProcessed {
                tension,
                by: me,
                at,
                outcome: text("outcome", Some(&outcome))?,
                decisions: decisions.into_iter().map(Into::into).collect(),
            })
        })
        .await?;
        tension_result(ctx, tension, receipt).await
    }

    /// Withdraws a tension the caller raised.
    async fn withdraw_tension(
        &self,
        ctx: &Context<'_>,
        tension_id: Uuid,
    ) -> ApiResult<TensionResult> {
        let tension = TensionId::from_uuid(tension_id);
        let receipt = write(ctx, None, |_, at, me| {
            Ok(Event::TensionWithdrawn {
                tension,
                by: me,
                at,
            })
        })
        .await?;
        tension_result(ctx, tension, receipt).await
    }

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
        let receipt = write(ctx, None, |_, at, me| {
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
        meeting_result(ctx, id, receipt).await
    }

    /// Signs the petition for an Agora, for oneself.
    async fn sign_petition(&self, ctx: &Context<'_>, meeting_id: Uuid) -> ApiResult<MeetingResult> {
        on_meeting(ctx, meeting_id, |meeting, me, at| {
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
        on_meeting(ctx, meeting_id, |meeting, me, at| {
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
        on_meeting(ctx, meeting_id, |meeting, me, at| {
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
        on_meeting(ctx, meeting_id, |meeting, me, at| {
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
        on_meeting(ctx, meeting_id, |meeting, me, at| {
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
        on_meeting(ctx, meeting_id, |meeting, me, at| {
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
        let receipt = write(ctx, reason, move |movement, at, me| {
            Ok(Event::Escalated(Box::new(
                governance_core::EscalationRequest {
                    id,
                    proposal: decision_draft(input, movement, at, me, proposal_id, l)?,
                    by: me,
                },
            )))
        })
        .await?;
        let s = state(ctx, Some(receipt.revision)).await?;
        let e = s
            .movement
            .escalation(id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("escalation", l))?;
        Ok(EscalationResult {
            escalation: EscalationObject(e),
            revision: receipt.revision,
        })
    }

    /// Renders account for part of the caller's mandate (R16).
    async fn submit_account_report(
        &self,
        ctx: &Context<'_>,
        mandate_id: Uuid,
        covers_from: DateTime<Utc>,
        covers_until: DateTime<Utc>,
        summary: String,
    ) -> ApiResult<AccountReportResult> {
        let id = governance_core::AccountReportId::from_uuid(Uuid::now_v7());
        let receipt = write(ctx, None, |_, at, me| {
            Ok(Event::AccountReported(AccountReport {
                id,
                mandate: mandate_id.into(),
                author: me,
                covers: period(covers_from, covers_until)?,
                submitted_at: at,
                summary: text("summary", Some(&summary))?,
            }))
        })
        .await?;
        let s = state(ctx, Some(receipt.revision)).await?;
        let r = s
            .movement
            .account_reports()
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| ApiError::not_found("report", lang(ctx)))?;
        Ok(AccountReportResult {
            report: AccountReportObject {
                id: r.id.as_uuid(),
                mandate_id: r.mandate.as_uuid(),
                author_name: s.movement.member_name(r.author),
                covers_from: r.covers.starts_at(),
                covers_until: r.covers.ends_at(),
                submitted_at: r.submitted_at,
                summary: r.summary.as_str().to_owned(),
            },
            revision: receipt.revision,
        })
    }

    /// Marks decisions as read by the caller (R11), in one transaction. Pass either the ids you
    /// showed (`decisionIds`), or the last decision you showed (`upTo`: it and every decision
    /// recorded before it, so that one recorded after your `catchUp` stays unread); with
    /// neither, every decision recorded so far. Returns how many decisions were newly marked.
    async fn mark_read(
        &self,
        ctx: &Context<'_>,
        decision_ids: Option<Vec<Uuid>>,
        up_to: Option<Uuid>,
    ) -> ApiResult<i32> {
        let me = member(ctx)?;
        let a = app(ctx);
        let now = super::now();
        let ids: Vec<Uuid> = {
            let s = state(ctx, None).await?;
            let recorded = s.movement.decisions();
            match (decision_ids, up_to) {
                (Some(_), Some(_)) => {
                    return Err(ApiError::invalid(
                        "give either decisionIds or upTo, not both",
                        "indiquez soit decisionIds, soit upTo, pas les deux",
                    )
                    .with("field", "upTo")
                    .into());
                }
                (Some(ids), None) => {
                    if ids.len() > 1_000 {
                        return Err(ApiError::edge(super::EdgeCode::LimitExceeded, lang(ctx))
                            .with("max", 1_000)
                            .into());
                    }
                    if let Some(missing) = ids
                        .iter()
                        .find(|id| s.movement.decision((**id).into()).is_none())
                    {
                        return Err(
                            ApiError::not_found(&format!("decision {missing}"), lang(ctx)).into(),
                        );
                    }
                    ids
                }
                (None, Some(last)) => {
                    let Some(end) = recorded.iter().position(|d| d.id().as_uuid() == last) else {
                        return Err(
                            ApiError::not_found(&format!("decision {last}"), lang(ctx)).into()
                        );
                    };
                    // What `catchUp` could have shown: nothing from before the caller joined.
                    let joined = s.movement.member(me).map(|m| m.joined_at);
                    recorded[..=end]
                        .iter()
                        .filter(|d| joined.is_none_or(|j| d.decided_at() >= j))
                        .map(|d| d.id().as_uuid())
                        .collect()
                }
                (None, None) => recorded.iter().map(|d| d.id().as_uuid()).collect(),
            }
        };
        let ids: Vec<DecisionId> = ids.into_iter().map(DecisionId::from_uuid).collect();
        let marked = a
            .store
            .mark_read(a.org, me, &ids, now)
            .await
            .map_err(|e| ApiError::internal(&e, lang(ctx)))?;
        Ok(marked as i32)
    }
}

async fn tension_result(
    ctx: &Context<'_>,
    id: TensionId,
    receipt: Receipt,
) -> ApiResult<TensionResult> {
    let s = state(ctx, Some(receipt.revision)).await?;
    let t = s
        .movement
        .tension(id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("tension", lang(ctx)))?;
    Ok(TensionResult {
        tension: TensionObject(t),
        revision: receipt.revision,
    })
}

/// Records the caller's act on one meeting (`build` makes the event from the meeting, the
/// caller and the instant), and answers with the meeting as it now stands.
async fn on_meeting<F>(ctx: &Context<'_>, meeting_id: Uuid, build: F) -> ApiResult<MeetingResult>
where
    F: FnOnce(
        governance_core::MeetingId,
        MemberId,
        governance_core::Instant,
    ) -> Result<Event, ApiError>,
{
    let id = governance_core::MeetingId::from_uuid(meeting_id);
    let receipt = write(ctx, None, |_, at, me| build(id, me, at)).await?;
    meeting_result(ctx, id, receipt).await
}

async fn meeting_result(
    ctx: &Context<'_>,
    id: governance_core::MeetingId,
    receipt: Receipt,
) -> ApiResult<MeetingResult> {
    let s = state(ctx, Some(receipt.revision)).await?;
    let m = s
        .movement
        .meeting(id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("meeting", lang(ctx)))?;
    Ok(MeetingResult {
        meeting: MeetingObject(m),
        revision: receipt.revision,
    })
}
