//! Stores one event: its audit entry (the chained, replayable log) and its projections into the
//! tables that queries read. Called inside the write transaction, after the core accepted it.
//! Long because: one projection per kind of event, in one match, so that a new event cannot be
//! stored without deciding what it projects.

use super::chain::link_hash;
use super::codec::{self, micros};
use super::entity::*;
use super::{OrgState, Receipt, StoreError, new_id};
use governance_core::tension::{Space, TensionSubject};
use governance_core::{Decider, DecisionDraft, Effect, Event, MemberId, OrganizationId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::Value;
use uuid::Uuid;

/// Inserts a row without reading it back: the store never uses what `ActiveModel::insert`
/// returns, and reading back a decision (its payload, its search text) costs about as much as
/// writing it.
async fn put<A, C>(db: &C, row: A) -> Result<(), sea_orm::DbErr>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    <A::Entity as EntityTrait>::insert(row)
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

fn text(v: &Value) -> String {
    String::from_utf8(codec::canonical_bytes(v)).expect("JSON is UTF-8")
}

/// What text search looks in: title and statement, lower-cased with Unicode rules.
pub(crate) fn search_text(d: &DecisionDraft) -> String {
    format!("{}\n{}", d.title.as_str(), d.statement.as_str()).to_lowercase()
}

/// The hash of the last decision of a movement, read from the database.
pub(super) async fn decision_head<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
) -> Result<Option<String>, StoreError> {
    Ok(decisions::Entity::find()
        .filter(decisions::Column::OrganizationId.eq(org.as_uuid()))
        .order_by_desc(decisions::Column::Seq)
        .one(db)
        .await?
        .map(|d| d.hash))
}

fn subject_of(event: &Event) -> String {
    match event {
        Event::Decision(d) => format!("decision:{}", d.id),
        Event::Commitment { mandate, .. } => format!("mandate:{mandate}"),
        Event::TensionRaised(t) => format!("tension:{}", t.id),
        Event::TensionScheduled { tension, .. }
        | Event::TensionProcessed { tension, .. }
        | Event::TensionWithdrawn { tension, .. } => format!("tension:{tension}"),
        Event::MeetingScheduled { meeting, .. }
        | Event::MeetingHeld { meeting, .. }
        | Event::PetitionSigned { meeting, .. }
        | Event::AgendaItemAdded { meeting, .. }
        | Event::AttendanceSigned { meeting, .. }
        | Event::ProxyGiven { meeting, .. }
        | Event::ProxyWithdrawn { meeting, .. }
        | Event::MinutesClosed { meeting, .. } => format!("meeting:{meeting}"),
        Event::MeetingConvened(c) => format!("meeting:{}", c.meeting),
        Event::AccountReported(r) => format!("account_report:{}", r.id),
        Event::Escalated(e) => format!("escalation:{}", e.id),
    }
}

/// Writes the audit entry and the projections of `event`, and advances `state`'s chain heads.
pub(super) async fn store_event<C: ConnectionTrait>(
    db: &C,
    state: &mut OrgState,
    event: &Event,
    encoded: &Value,
    actor: Option<MemberId>,
    reason: Option<String>,
) -> Result<Receipt, StoreError> {
    let org = state.movement.organization().id;
    let o = org.as_uuid();
    let revision = state.revision + 1;
    // `encoded` is the event's one encoding (`store::encode`): the audit payload, and (for a
    // decision) the decision chain's payload, which is the same value's `decision` member.
    let payload = text(encoded);
    let hash = link_hash(state.audit_head.as_deref(), &payload);
    project(db, state, org, revision, event, encoded).await?;
    put(
        db,
        audit_entries::ActiveModel {
            id: Set(new_id()),
            organization_id: Set(o),
            revision: Set(revision),
            at: Set(micros(event.at())),
            actor_id: Set(actor.map(|a| a.as_uuid())),
            action: Set(event.kind_name().to_owned()),
            subject: Set(subject_of(event)),
            reason: Set(reason),
            payload: Set(payload),
            prev_hash: Set(state.audit_head.clone()),
            hash: Set(hash.clone()),
        },
    )
    .await?;
    state.revision = revision;
    state.audit_head = Some(hash.clone());
    Ok(Receipt {
        revision,
        hash,
        outcome: None,
    })
}

async fn project<C: ConnectionTrait>(
    db: &C,
    state: &mut OrgState,
    org: OrganizationId,
    revision: i64,
    event: &Event,
    encoded: &Value,
) -> Result<(), StoreError> {
    let o = org.as_uuid();
    match event {
        Event::Decision(d) => {
            store_decision(db, state, org, revision, d, &encoded["decision"]).await?
        }
        Event::Commitment { mandate, at, .. } => {
            mandates::ActiveModel {
                id: Set(mandate.as_uuid()),
                committed_at: Set(Some(micros(*at))),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
        Event::TensionRaised(t) => {
            let stored = state
                .movement
                .tension(t.id)
                .expect("the core just recorded it");
            let (subject_kind, subject_unit, subject_role, subject_rule) = match &t.subject {
                TensionSubject::Unit(u) => ("unit", Some(u.as_uuid()), None, None),
                TensionSubject::Role { unit, role } => (
                    "role",
                    Some(unit.as_uuid()),
                    Some(codec::role_name(*role).to_owned()),
                    None,
                ),
                TensionSubject::Rule(r) => ("rule", None, None, Some(r.to_string())),
            };
            let (space_kind, space_unit) = match stored.space {
                Space::Referent(u) => ("referent", Some(u.as_uuid())),
                Space::Gouvernance => ("gouvernance", None),
                Space::Fonctionnement => ("fonctionnement", None),
                Space::Coordination => ("coordination", None),
                Space::Agora => ("agora", None),
            };
            put(
                db,
                tensions::ActiveModel {
                    id: Set(t.id.as_uuid()),
                    organization_id: Set(o),
                    raised_by: Set(t.raised_by.as_uuid()),
                    raised_at: Set(micros(t.raised_at)),
                    subject_kind: Set(subject_kind.into()),
                    subject_unit_id: Set(subject_unit),
                    subject_role: Set(subject_role),
                    subject_rule: Set(subject_rule),
                    space_kind: Set(space_kind.into()),
                    space_unit_id: Set(space_unit),
                    title: Set(t.title.to_string()),
                    description: Set(t.description.as_str().to_owned()),
                },
            )
            .await?;
            tension_event(
                db,
                o,
                t.id.as_uuid(),
                t.raised_at,
                "open",
                t.raised_by,
                None,
                None,
                None,
            )
            .await?;
        }
        Event::TensionScheduled {
            tension,
            meeting,
            by,
            at,
        } => {
            tension_event(
                db,
                o,
                tension.as_uuid(),
                *at,
                "scheduled",
                *by,
                Some(meeting.as_uuid()),
                None,
                None,
            )
            .await?;
        }
        Event::TensionProcessed {
            tension,
            by,
            at,
            outcome,
            decisions,
        } => {
            let list = Value::Array(
                decisions
                    .iter()
                    .map(|d| Value::String(d.to_string()))
                    .collect(),
            );
            tension_event(
                db,
                o,
                tension.as_uuid(),
                *at,
                "processed",
                *by,
                None,
                Some(outcome.as_str().to_owned()),
                Some(text(&list)),
            )
            .await?;
        }
        Event::TensionWithdrawn { tension, by, at } => {
            tension_event(
                db,
                o,
                tension.as_uuid(),
                *at,
                "withdrawn",
                *by,
                None,
                None,
                None,
            )
            .await?;
        }
        Event::MeetingScheduled {
            meeting,
            kind,
            held_at,
            at,
            ..
        } => {
            meeting_row(db, o, *meeting, *kind, *held_at, *at).await?;
        }
        Event::MeetingConvened(c) => {
            meeting_row(db, o, c.meeting, c.kind, c.starts_at, c.at).await?;
            // Tensions on the agenda are scheduled to the meeting by its convocation.
            for item in &c.agenda {
                if let governance_core::AgendaItem::Tension(t) = item {
                    tension_event(
                        db,
                        o,
                        t.as_uuid(),
                        c.at,
                        "scheduled",
                        c.by,
                        Some(c.meeting.as_uuid()),
                        None,
                        None,
                    )
                    .await?;
                }
            }
        }
        Event::AgendaItemAdded {
            meeting,
            item: governance_core::AgendaItem::Tension(t),
            by,
            at,
        } => {
            tension_event(
                db,
                o,
                t.as_uuid(),
                *at,
                "scheduled",
                *by,
                Some(meeting.as_uuid()),
                None,
                None,
            )
            .await?;
        }
        Event::AttendanceSigned {
            meeting, member, ..
        } => {
            put(
                db,
                meeting_attendees::ActiveModel {
                    organization_id: Set(o),
                    meeting_id: Set(meeting.as_uuid()),
                    member_id: Set(member.as_uuid()),
                },
            )
            .await?;
        }
        // Petitions, agendas, proxies, closings and escalations are read from the replayed
        // log; they have no projection of their own.
        Event::PetitionSigned { .. }
        | Event::AgendaItemAdded { .. }
        | Event::ProxyGiven { .. }
        | Event::ProxyWithdrawn { .. }
        | Event::MinutesClosed { .. }
        | Event::Escalated(_) => {}
        Event::MeetingHeld {
            meeting, attendees, ..
        } => {
            let mut seen = std::collections::HashSet::new();
            for a in attendees.iter().filter(|a| seen.insert(**a)) {
                put(
                    db,
                    meeting_attendees::ActiveModel {
                        organization_id: Set(o),
                        meeting_id: Set(meeting.as_uuid()),
                        member_id: Set(a.as_uuid()),
                    },
                )
                .await?;
            }
        }
        Event::AccountReported(r) => {
            put(
                db,
                account_reports::ActiveModel {
                    id: Set(r.id.as_uuid()),
                    organization_id: Set(o),
                    mandate_id: Set(r.mandate.as_uuid()),
                    author_id: Set(r.author.as_uuid()),
                    covers_from: Set(micros(r.covers.starts_at())),
                    covers_until: Set(micros(r.covers.ends_at())),
                    submitted_at: Set(micros(r.submitted_at)),
                    summary: Set(r.summary.as_str().to_owned()),
                },
            )
            .await?;
        }
    }
    Ok(())
}

async fn meeting_row<C: ConnectionTrait>(
    db: &C,
    o: uuid::Uuid,
    meeting: governance_core::MeetingId,
    kind: governance_core::MeetingKind,
    held_at: governance_core::Instant,
    at: governance_core::Instant,
) -> Result<(), StoreError> {
    let unit = match kind {
        governance_core::MeetingKind::Unit(u) => Some(u.as_uuid()),
        _ => None,
    };
    let kind_name = codec::meeting_kind_value(kind)["kind"]
        .as_str()
        .unwrap_or("unit")
        .to_owned();
    put(
        db,
        meetings::ActiveModel {
            id: Set(meeting.as_uuid()),
            organization_id: Set(o),
            kind: Set(kind_name),
            unit_id: Set(unit),
            held_at: Set(micros(held_at)),
            scheduled_at: Set(micros(at)),
        },
    )
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn tension_event<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    tension: Uuid,
    at: governance_core::Instant,
    status: &str,
    by: MemberId,
    meeting: Option<Uuid>,
    outcome: Option<String>,
    decisions: Option<String>,
) -> Result<(), StoreError> {
    put(
        db,
        tension_events::ActiveModel {
            id: Set(new_id()),
            organization_id: Set(org),
            tension_id: Set(tension),
            at: Set(micros(at)),
            status: Set(status.to_owned()),
            actor_id: Set(by.as_uuid()),
            meeting_id: Set(meeting),
            outcome: Set(outcome),
            decisions: Set(decisions),
        },
    )
    .await?;
    Ok(())
}

/// A decision: the structure its effects change first (the decision row points at units and
/// mandates), then the chained decision row, then what hangs off it.
async fn store_decision<C: ConnectionTrait>(
    db: &C,
    state: &mut OrgState,
    org: OrganizationId,
    revision: i64,
    d: &DecisionDraft,
    encoded: &Value,
) -> Result<(), StoreError> {
    let o = org.as_uuid();
    let at = micros(d.decided_at);
    let by = d.id.as_uuid();
    for effect in &d.effects {
        project_effect(db, state, o, at, by, effect).await?;
    }
    let record = state
        .movement
        .decision(d.id)
        .expect("the core just recorded it");
    let payload = text(encoded);
    let hash = link_hash(state.decision_head.as_deref(), &payload);
    // The founding assembly exists only through the founding decision: its meeting row and
    // its founders' signatures are written with it, after the founders themselves.
    if let Decider::Body {
        meeting: Some(m),
        participants,
        ..
    } = &d.decider
        && state
            .movement
            .meeting(*m)
            .is_some_and(|x| matches!(x.convener, governance_core::meeting::Convener::Founding))
    {
        meeting_row(db, o, *m, governance_core::MeetingKind::Agora, at, at).await?;
        for p in participants {
            put(
                db,
                meeting_attendees::ActiveModel {
                    organization_id: Set(o),
                    meeting_id: Set(m.as_uuid()),
                    member_id: Set(p.as_uuid()),
                },
            )
            .await?;
        }
    }
    let (decider_kind, meeting) = match &d.decider {
        Decider::Holder { .. } => ("holder", None),
        Decider::Body { meeting, .. } => ("body", meeting.map(|m| m.as_uuid())),
    };
    put(
        db,
        decisions::ActiveModel {
            id: Set(by),
            organization_id: Set(o),
            seq: Set(state.decision_seq + 1),
            revision: Set(revision),
            unit_id: Set(d.unit.as_uuid()),
            domain: Set(d.domain.as_str().to_owned()),
            title: Set(d.title.to_string()),
            statement: Set(d.statement.as_str().to_owned()),
            rationale: Set(d.rationale.as_str().to_owned()),
            decided_at: Set(at),
            effective_from: Set(d.effective_from.map(micros)),
            effective_until: Set(d.effective_until.map(micros)),
            decider_kind: Set(decider_kind.into()),
            mandate_id: Set(record.authorized_by().map(|m| m.as_uuid())),
            meeting_id: Set(meeting),
            impact: Set(text(&codec::impact_value(&d.impact))),
            visibility: Set(codec::visibility_name(d.visibility).into()),
            tension_id: Set(d.tension.map(|t| t.as_uuid())),
            prev_hash: Set(state.decision_head.clone()),
            hash: Set(hash.clone()),
            payload: Set(payload),
            search_text: Set(Some(search_text(d))),
        },
    )
    .await?;
    state.decision_seq += 1;
    state.decision_head = Some(hash);
    for effect in &d.effects {
        if let Effect::ChangeSettings(s) = effect {
            put(
                db,
                settings_versions::ActiveModel {
                    id: Set(new_id()),
                    organization_id: Set(o),
                    effective_at: Set(at),
                    adopted_by: Set(by),
                    settings: Set(text(&codec::settings_value(s))),
                },
            )
            .await?;
        }
    }
    for (i, c) in d.consultations.iter().enumerate() {
        put(
            db,
            consultations::ActiveModel {
                organization_id: Set(o),
                decision_id: Set(by),
                position: Set(i as i32),
                member_id: Set(c.member.as_uuid()),
                consulted_at: Set(micros(c.consulted_at)),
                stance: Set(codec::stance_name(c.stance).into()),
                said: Set(c.said.as_str().to_owned()),
            },
        )
        .await?;
    }
    for p in record.responsible() {
        put(
            db,
            decision_participants::ActiveModel {
                organization_id: Set(o),
                decision_id: Set(by),
                member_id: Set(p.as_uuid()),
            },
        )
        .await?;
    }
    for l in &d.links {
        put(
            db,
            decision_links::ActiveModel {
                organization_id: Set(o),
                decision_id: Set(by),
                kind: Set(codec::link_name(l.kind).into()),
                target_id: Set(l.target.as_uuid()),
            },
        )
        .await?;
    }
    for (i, e) in d.effects.iter().enumerate() {
        put(
            db,
            decision_effects::ActiveModel {
                organization_id: Set(o),
                decision_id: Set(by),
                position: Set(i as i32),
                kind: Set(e.kind_name().into()),
                payload: Set(text(&codec::effect_value(e))),
            },
        )
        .await?;
    }
    Ok(())
}

async fn project_effect<C: ConnectionTrait>(
    db: &C,
    state: &OrgState,
    o: Uuid,
    at: governance_core::Instant,
    by: Uuid,
    effect: &Effect,
) -> Result<(), StoreError> {
    match effect {
        Effect::CreateUnit(u) => {
            put(
                db,
                units::ActiveModel {
                    id: Set(u.id.as_uuid()),
                    organization_id: Set(o),
                    name: Set(u.name.to_string()),
                    kind: Set(codec::unit_kind_name(u.kind).into()),
                    parent_id: Set(u.parent.map(|p| p.as_uuid())),
                    created_at: Set(at),
                    created_by: Set(by),
                    archived_at: Set(None),
                    archived_by: Set(None),
                },
            )
            .await?;
            unit_domains(db, o, u.id.as_uuid(), at, &u.domains).await?;
        }
        Effect::ArchiveUnit { unit } => {
            units::ActiveModel {
                id: Set(unit.as_uuid()),
                archived_at: Set(Some(at)),
                archived_by: Set(Some(by)),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
        Effect::SetUnitDomains { unit, domains } => {
            unit_domains(db, o, unit.as_uuid(), at, domains).await?;
        }
        Effect::AdmitMember(m) => {
            put(
                db,
                members::ActiveModel {
                    id: Set(m.id.as_uuid()),
                    organization_id: Set(o),
                    name: Set(m.name.to_string()),
                    email: Set(m.email.to_string()),
                    joined_at: Set(at),
                    admitted_by: Set(by),
                    left_at: Set(None),
                    left_by: Set(None),
                },
            )
            .await?;
        }
        Effect::RemoveMember { member } => {
            members::ActiveModel {
                id: Set(member.as_uuid()),
                left_at: Set(Some(at)),
                left_by: Set(Some(by)),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
        Effect::AssignMandate(governance_core::NewMandate { id, .. })
        | Effect::RenewMandate { id, .. } => {
            let m = state
                .movement
                .mandate(*id)
                .expect("the core just assigned it");
            let scope = codec::scope_value(&m.scope);
            put(
                db,
                mandates::ActiveModel {
                    id: Set(m.id.as_uuid()),
                    organization_id: Set(o),
                    holder_id: Set(m.holder.as_uuid()),
                    unit_id: Set(m.unit.as_uuid()),
                    scope: Set((!scope.is_null()).then(|| text(&scope))),
                    role: Set(codec::role_name(m.role).into()),
                    starts_at: Set(micros(m.period.starts_at())),
                    ends_at: Set(micros(m.period.ends_at())),
                    assigned_by: Set(by),
                    assigned_at: Set(at),
                    committed_at: Set(None),
                    revoked_at: Set(None),
                    revoked_by: Set(None),
                    renews_id: Set(m.renews.map(|r| r.as_uuid())),
                },
            )
            .await?;
        }
        Effect::RevokeMandate { mandate } => {
            mandates::ActiveModel {
                id: Set(mandate.as_uuid()),
                revoked_at: Set(Some(at)),
                revoked_by: Set(Some(by)),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
        // Stored after the decision row, which it references.
        Effect::ChangeSettings(_) => {}
    }
    Ok(())
}

async fn unit_domains<C: ConnectionTrait>(
    db: &C,
    o: Uuid,
    unit: Uuid,
    at: governance_core::Instant,
    domains: &std::collections::BTreeSet<governance_core::Domain>,
) -> Result<(), StoreError> {
    let list = Value::Array(
        domains
            .iter()
            .map(|d| Value::String(d.as_str().into()))
            .collect(),
    );
    put(
        db,
        unit_domain_versions::ActiveModel {
            id: Set(new_id()),
            organization_id: Set(o),
            unit_id: Set(unit),
            effective_at: Set(at),
            domains: Set(text(&list)),
        },
    )
    .await?;
    Ok(())
}
