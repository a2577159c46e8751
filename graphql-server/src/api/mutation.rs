//! Mutations. The caller is always the actor: nobody records in someone else's name, and every
//! write is judged by the core at the server's clock, with no administrator bypass. Each write
//! returns the revision it created.

use super::inputs::*;
use super::subscription::Notice;
use super::types::*;
use super::{ApiError, ApiResult, app, lang, member, state};
use crate::store::entity::decision_reads;
use crate::store::{Receipt, StoreError};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::account::AccountReport;
use governance_core::meeting::MeetingKind;
use governance_core::tension::{Space, TensionSubject};
use governance_core::{
    Decider, DecisionDraft, DecisionId, Event, MandateId, MemberId, NewTension, TensionId,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};
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
            let consultations = input.consultations.unwrap_or_default();
            let links = input.links.unwrap_or_default();
            let effects = input.effects.unwrap_or_default();
            check_len(&consultations, "consultations", l)?;
            check_len(&links, "links", l)?;
            check_len(&effects, "effects", l)?;
            let unit = input.unit_id.into();
            let domain = domain(&input.domain)?;
            let decider = match input.participant_ids {
                Some(participants) => {
                    check_len(&participants, "participantIds", l)?;
                    let participants: Vec<MemberId> =
                        participants.into_iter().map(Into::into).collect();
                    if !participants.contains(&me) {
                        return Err(ApiError::invalid(
                            "the caller must be among the participants",
                            "la personne qui enregistre doit être parmi les participant·e·s",
                        ));
                    }
                    Decider::Body {
                        meeting: input.meeting_id.map(Into::into),
                        participants,
                    }
                }
                None => {
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
            Ok(Event::Decision(Box::new(DecisionDraft {
                id,
                unit,
                domain,
                title: label("title", &input.title)?,
                statement: text("statement", input.statement.as_deref())?,
                rationale: text("rationale", input.rationale.as_deref())?,
                decided_at: at,
                effective_from: input.effective_from.map(crate::store::codec::micros),
                effective_until: input.effective_until.map(crate::store::codec::micros),
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
                    .map(|e| e.into_core(at))
                    .collect::<Result<_, _>>()?,
                tension: input.tension_id.map(Into::into),
            })))
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

    /// Schedules a meeting.
    async fn schedule_meeting(
        &self,
        ctx: &Context<'_>,
        kind: MeetingKindInput,
        held_at: DateTime<Utc>,
    ) -> ApiResult<MeetingResult> {
        let id = governance_core::MeetingId::from_uuid(Uuid::now_v7());
        let receipt = write(ctx, None, |_, at, me| {
            let kind = match kind {
                MeetingKindInput::Gouvernance(_) => MeetingKind::Gouvernance,
                MeetingKindInput::Fonctionnement(_) => MeetingKind::Fonctionnement,
                MeetingKindInput::Agora(_) => MeetingKind::Agora,
                MeetingKindInput::Unit(u) => MeetingKind::Unit(u.into()),
            };
            Ok(Event::MeetingScheduled {
                meeting: id,
                kind,
                held_at: crate::store::codec::micros(held_at),
                by: me,
                at,
            })
        })
        .await?;
        meeting_result(ctx, id, receipt).await
    }

    /// Records who attended a meeting that took place.
    async fn hold_meeting(
        &self,
        ctx: &Context<'_>,
        meeting_id: Uuid,
        attendee_ids: Vec<Uuid>,
    ) -> ApiResult<MeetingResult> {
        let id = governance_core::MeetingId::from_uuid(meeting_id);
        let receipt = write(ctx, None, |_, at, me| {
            check_len(&attendee_ids, "attendeeIds", lang(ctx))?;
            Ok(Event::MeetingHeld {
                meeting: id,
                attendees: attendee_ids.iter().map(|a| (*a).into()).collect(),
                by: me,
                at,
            })
        })
        .await?;
        meeting_result(ctx, id, receipt).await
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
        let txn = a
            .store
            .begin_write()
            .await
            .map_err(|e| ApiError::internal(&e, lang(ctx)))?;
        let mut marked = 0;
        // One statement per chunk, ignoring decisions already read.
        for chunk in ids.chunks(500) {
            let rows = chunk.iter().map(|d| decision_reads::ActiveModel {
                organization_id: Set(a.org.as_uuid()),
                member_id: Set(me.as_uuid()),
                decision_id: Set(*d),
                read_at: Set(now),
            });
            let res = decision_reads::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([
                        decision_reads::Column::MemberId,
                        decision_reads::Column::DecisionId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await;
            match res {
                Ok(n) => marked += n as i32,
                Err(sea_orm::DbErr::RecordNotInserted) => {}
                Err(e) => return Err(ApiError::internal(&e, lang(ctx)).into()),
            }
        }
        txn.commit()
            .await
            .map_err(|e| ApiError::internal(&e, lang(ctx)))?;
        Ok(marked)
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
