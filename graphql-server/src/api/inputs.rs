//! GraphQL inputs, and their translation into the core's drafts. Ids of what a decision creates
//! (units, members, mandates) are made here, time-ordered (UUID v7).

use super::context::now;
use super::decisions::{ImpactKind, LinkKindGql, StanceGql, VisibilityGql};
use super::mandates::RoleGql;
use super::organization::UnitKindGql;
use super::settings::SettingsInput;
use super::{ApiError, Code};
use async_graphql::{InputObject, OneofObject};
use chrono::{DateTime, Utc};
use governance_core::messages::Lang;
use governance_core::{
    Consultation, Decider, DecisionDraft, DecisionId, DecisionLink, Domain, Effect, Email, Impact,
    Label, MandateId, MemberId, NewMandate, NewMember, NewUnit, Period, Scope, Settings, Text,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The most effects, consultations or links one decision may carry.
pub const MAX_LIST: usize = 200;

fn new_id() -> Uuid {
    Uuid::now_v7()
}

pub(crate) fn label(field: &'static str, raw: &str) -> Result<Label, ApiError> {
    Label::parse(field, raw).map_err(|e| ApiError::text(&e, field))
}

pub(crate) fn text(field: &'static str, raw: Option<&str>) -> Result<Text, ApiError> {
    Text::parse(field, raw.unwrap_or("")).map_err(|e| ApiError::text(&e, field))
}

pub(crate) fn domain(raw: &str) -> Result<Domain, ApiError> {
    Domain::parse(raw).map_err(|e| ApiError::text(&e, "domain"))
}

pub(crate) fn domains(raw: &[String]) -> Result<BTreeSet<Domain>, ApiError> {
    raw.iter().map(|d| domain(d)).collect()
}

pub(crate) fn period(from: DateTime<Utc>, until: DateTime<Utc>) -> Result<Period, ApiError> {
    Period::new(sane("from", from)?, sane("until", until)?).map_err(|e| ApiError::period(&e))
}

/// The years a governance date may fall in: a meeting, a mandate or a decision in year 9999 is
/// a typing error or an attack on date arithmetic, not governance.
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A date given by a client, to the microsecond, within [`YEARS`].
pub(crate) fn sane(field: &'static str, at: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
    use chrono::Datelike;
    if !YEARS.contains(&at.year()) {
        return Err(ApiError::invalid(
            format!(
                "{field} must fall between the years {} and {}",
                YEARS.start(),
                YEARS.end()
            ),
            format!(
                "« {field} » doit tomber entre les années {} et {}",
                YEARS.start(),
                YEARS.end()
            ),
        )
        .with("field", field));
    }
    Ok(crate::store::codec::micros(at))
}

/// The instant a query asks about: the date given (within [`YEARS`]), or now.
pub(crate) fn when(at: Option<DateTime<Utc>>) -> Result<DateTime<Utc>, ApiError> {
    match at {
        Some(at) => sane("at", at),
        None => Ok(now()),
    }
}

pub(crate) fn check_len<T>(list: &[T], field: &'static str, lang: Lang) -> Result<(), ApiError> {
    if list.len() > MAX_LIST {
        return Err(ApiError::new(Code::LimitExceeded, lang)
            .with("field", field)
            .with("max", MAX_LIST as i64));
    }
    Ok(())
}

/// Someone consulted before the decision (R8).
#[derive(Debug, InputObject)]
pub struct ConsultationInput {
    pub member_id: Uuid,
    pub consulted_at: DateTime<Utc>,
    pub stance: StanceGql,
    pub said: Option<String>,
}

impl ConsultationInput {
    pub fn into_core(self) -> Result<Consultation, ApiError> {
        Ok(Consultation {
            member: self.member_id.into(),
            consulted_at: sane("consultedAt", self.consulted_at)?,
            stance: self.stance.into(),
            said: text("said", self.said.as_deref())?,
        })
    }
}

/// A link to an earlier decision (R12).
#[derive(Debug, InputObject)]
pub struct LinkInput {
    pub kind: LinkKindGql,
    pub decision_id: Uuid,
}

impl LinkInput {
    pub fn into_core(self) -> DecisionLink {
        DecisionLink {
            kind: self.kind.into(),
            target: self.decision_id.into(),
        }
    }
}

/// How far the decision reaches (R9).
#[derive(Debug, InputObject)]
pub struct ImpactInput {
    pub kind: ImpactKind,
    /// With `UNITS`: the units reached.
    pub unit_ids: Option<Vec<Uuid>>,
}

impl ImpactInput {
    pub fn into_core(self) -> Result<Impact, ApiError> {
        Ok(match self.kind {
            ImpactKind::ThisUnit => Impact::ThisUnit,
            ImpactKind::MovementWide => Impact::MovementWide,
            ImpactKind::Units => {
                let units = self.unit_ids.unwrap_or_default();
                if units.is_empty() {
                    return Err(ApiError::invalid(
                        "an impact on UNITS lists at least one unit",
                        "un impact sur UNITS liste au moins une unité",
                    ));
                }
                Impact::Units(units.into_iter().map(Into::into).collect())
            }
        })
    }
}

#[derive(Debug, InputObject)]
pub struct CreateUnitInput {
    pub name: String,
    pub kind: UnitKindGql,
    pub parent_id: Uuid,
    pub domains: Vec<String>,
}

#[derive(Debug, InputObject)]
pub struct SetUnitDomainsInput {
    pub unit_id: Uuid,
    pub domains: Vec<String>,
}

#[derive(Debug, InputObject)]
pub struct AdmitMemberInput {
    pub name: String,
    pub email: String,
}

#[derive(Debug, InputObject)]
pub struct AssignMandateInput {
    pub holder_id: Uuid,
    pub unit_id: Uuid,
    /// The domains covered; omit for every domain of the unit.
    pub domains: Option<Vec<String>>,
    pub role: RoleGql,
    /// When it starts; by default when the decision is recorded. It cannot start earlier.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, InputObject)]
pub struct RenewMandateInput {
    pub previous_id: Uuid,
    /// When the new mandate starts; by default when the decision is recorded.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: DateTime<Utc>,
}

/// One governance change the decision enacts; exactly one field is set.
#[derive(Debug, OneofObject)]
pub enum EffectInput {
    CreateUnit(CreateUnitInput),
    ArchiveUnit(Uuid),
    SetUnitDomains(SetUnitDomainsInput),
    AdmitMember(AdmitMemberInput),
    RemoveMember(Uuid),
    AssignMandate(AssignMandateInput),
    RenewMandate(RenewMandateInput),
    RevokeMandate(Uuid),
    ChangeSettings(SettingsInput),
}

impl EffectInput {
    /// The core effect; `at` is the decision's instant, the default start of a mandate.
    pub fn into_core(
        self,
        at: governance_core::Instant,
        current: &Settings,
    ) -> Result<Effect, ApiError> {
        Ok(match self {
            EffectInput::CreateUnit(u) => Effect::CreateUnit(NewUnit {
                id: new_id().into(),
                name: label("name", &u.name)?,
                kind: u.kind.into(),
                parent: Some(u.parent_id.into()),
                domains: domains(&u.domains)?,
            }),
            EffectInput::ArchiveUnit(unit) => Effect::ArchiveUnit { unit: unit.into() },
            EffectInput::SetUnitDomains(s) => Effect::SetUnitDomains {
                unit: s.unit_id.into(),
                domains: domains(&s.domains)?,
            },
            EffectInput::AdmitMember(m) => Effect::AdmitMember(NewMember {
                id: new_id().into(),
                name: label("name", &m.name)?,
                email: Email::parse(&m.email).map_err(|e| ApiError::text(&e, "email"))?,
            }),
            EffectInput::RemoveMember(member) => Effect::RemoveMember {
                member: member.into(),
            },
            EffectInput::AssignMandate(m) => Effect::AssignMandate(NewMandate {
                id: new_id().into(),
                holder: m.holder_id.into(),
                unit: m.unit_id.into(),
                scope: match m.domains {
                    None => Scope::AllDomains,
                    Some(ds) => Scope::Domains(domains(&ds)?),
                },
                role: m.role.into(),
                period: period(m.starts_at.unwrap_or(at), m.ends_at)?,
            }),
            EffectInput::RenewMandate(r) => Effect::RenewMandate {
                previous: r.previous_id.into(),
                id: new_id().into(),
                period: period(r.starts_at.unwrap_or(at), r.ends_at)?,
            },
            EffectInput::RevokeMandate(mandate) => Effect::RevokeMandate {
                mandate: mandate.into(),
            },
            EffectInput::ChangeSettings(s) => {
                Effect::ChangeSettings(Box::new(s.into_core(current)?))
            }
        })
    }
}

/// A decision to record. The caller is the decider: alone under one of their mandates, or, with
/// `meetingId`, as the secretary of a held meeting of the deciding unit, which decides as a body
/// when it reached its quorum (R10).
#[derive(Debug, InputObject)]
pub struct RecordDecisionInput {
    pub unit_id: Uuid,
    pub domain: String,
    pub title: String,
    pub statement: Option<String>,
    pub rationale: Option<String>,
    /// The caller's mandate to decide under; by default the one that covers this decision.
    pub mandate_id: Option<Uuid>,
    /// Optional with `meetingId`: who took part. The engine counts them from the attendance
    /// sheet and proxies, and refuses any other list.
    pub participant_ids: Option<Vec<Uuid>>,
    /// The held meeting whose decision this is; the caller records it as a signed participant.
    pub meeting_id: Option<Uuid>,
    /// The escalated proposal this decision answers (R9).
    pub escalation_id: Option<Uuid>,
    pub consultations: Option<Vec<ConsultationInput>>,
    pub impact: Option<ImpactInput>,
    pub visibility: Option<VisibilityGql>,
    pub links: Option<Vec<LinkInput>>,
    pub effects: Option<Vec<EffectInput>>,
    /// The tension this decision answers (R13).
    pub tension_id: Option<Uuid>,
    pub effective_from: Option<DateTime<Utc>>,
    pub effective_until: Option<DateTime<Utc>>,
    /// Why, for the audit log.
    pub reason: Option<String>,
}

/// Translates a decision input into the draft the core judges. A decision with `meetingId` is
/// the meeting's, recorded by the caller as its secretary; its participants are, unless the
/// client names them, those the core counts at this instant (the core checks either way).
pub(crate) fn decision_draft(
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
        // The mandate the caller names, or none: then the core records the one its single
        // authorization check finds (and words a refusal about the caller's mandate there).
        (None, None) => Decider::Holder {
            member: me,
            mandate: input.mandate_id.map(MandateId::from_uuid),
        },
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

#[cfg(test)]
mod tests {
    //! The translation from input to draft is a pure function of the input, the state it is
    //! judged against, the instant and the caller: it is tested here without a server.

    use super::*;
    use governance_core::builder::date;
    use governance_core::demo::tilleuls;

    fn input(unit: Uuid, domain: &str, title: &str) -> RecordDecisionInput {
        RecordDecisionInput {
            unit_id: unit,
            domain: domain.into(),
            title: title.into(),
            statement: None,
            rationale: None,
            mandate_id: None,
            participant_ids: None,
            meeting_id: None,
            escalation_id: None,
            consultations: None,
            impact: None,
            visibility: None,
            links: None,
            effects: None,
            tension_id: None,
            effective_from: None,
            effective_until: None,
            reason: None,
        }
    }

    #[test]
    fn r4_a_holder_naming_no_mandate_leaves_the_choice_to_the_core() {
        let b = tilleuls();
        let awa = b.member("Awa");
        let i = input(b.unit("Coordination").as_uuid(), "budget", "Achat");
        let id = DecisionId::from_u128(7);
        let at = date("2026-06-16");
        let draft = decision_draft(i, b.movement(), at, awa, id, Lang::Fr).unwrap();
        assert_eq!(
            draft.decider,
            Decider::Holder {
                member: awa,
                mandate: None
            }
        );
        assert_eq!((draft.id, draft.decided_at), (id, at));
        assert_eq!(draft.visibility, governance_core::Visibility::Members);
    }

    #[test]
    fn r10_a_meeting_decision_is_recorded_by_the_caller_with_the_signed_participants() {
        let b = tilleuls();
        let awa = b.member("Awa");
        let meeting = b.meeting("coordination-avril");
        let mut i = input(b.unit("Coordination").as_uuid(), "mandats", "Mandats");
        i.meeting_id = Some(meeting.as_uuid());
        let at = date("2026-04-20T15:30");
        let draft =
            decision_draft(i, b.movement(), at, awa, DecisionId::from_u128(8), Lang::En).unwrap();
        let Decider::Body {
            meeting: m,
            participants,
            secretary,
        } = draft.decider
        else {
            panic!("a body's decision")
        };
        assert_eq!((m, secretary), (Some(meeting), Some(awa)));
        let mut participants = participants;
        participants.sort();
        // Gaspard signed too, as a guest: his mandate starts the next day, so he does not count.
        let mut signed = vec![b.member("Awa"), b.member("Bruno")];
        signed.sort();
        assert_eq!(participants, signed);
    }

    #[test]
    fn bad_input_is_refused_before_the_core_sees_it() {
        let b = tilleuls();
        let awa = b.member("Awa");
        let unit = b.unit("Coordination").as_uuid();
        let at = date("2026-06-16");
        let empty = decision_draft(
            input(unit, "budget", "  "),
            b.movement(),
            at,
            awa,
            DecisionId::from_u128(9),
            Lang::Fr,
        )
        .unwrap_err();
        assert_eq!(empty.code, Code::Validation);
        let mut long = input(unit, "budget", "Achat");
        long.participant_ids = Some(vec![Uuid::nil(); MAX_LIST + 1]);
        let too_many = decision_draft(
            long,
            b.movement(),
            at,
            awa,
            DecisionId::from_u128(10),
            Lang::Fr,
        )
        .unwrap_err();
        assert_eq!(too_many.code, Code::LimitExceeded);
        let mut old = input(unit, "budget", "Achat");
        old.effective_from = Some(date("1700-01-01"));
        let too_old = decision_draft(
            old,
            b.movement(),
            at,
            awa,
            DecisionId::from_u128(11),
            Lang::Fr,
        )
        .unwrap_err();
        assert_eq!(too_old.code, Code::Validation);
    }
}
