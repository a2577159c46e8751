//! GraphQL inputs, and their translation into the core's drafts. Ids of what a decision creates
//! (units, members, mandates) are made here, time-ordered (UUID v7).

use super::types::{ImpactKind, LinkKindGql, RoleGql, StanceGql, UnitKindGql, VisibilityGql};
use super::{ApiError, EdgeCode};
use async_graphql::{InputObject, OneofObject};
use chrono::{DateTime, Utc};
use governance_core::messages::Lang;
use governance_core::{
    Consultation, DecisionLink, Domain, Effect, Email, EscalationBody, Impact, Label,
    MandateAssigner, NewMandate, NewMember, NewUnit, Period, Scope, Settings, Text,
};
use std::collections::{BTreeMap, BTreeSet};
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

fn domains(raw: &[String]) -> Result<BTreeSet<Domain>, ApiError> {
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
        None => Ok(super::now()),
    }
}

pub(crate) fn check_len<T>(list: &[T], field: &'static str, lang: Lang) -> Result<(), ApiError> {
    if list.len() > MAX_LIST {
        return Err(ApiError::edge(EdgeCode::LimitExceeded, lang)
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

#[derive(Debug, InputObject)]
pub struct RequiredConsultationInput {
    pub domain: String,
    pub count: i32,
}

/// The movement's settings, whole (R19).
#[derive(Debug, InputObject)]
pub struct SettingsInput {
    pub max_mandate_months: i32,
    pub required_consultations: Vec<RequiredConsultationInput>,
    /// `COORDINATION` or `AGORA`.
    pub movement_wide_goes_to: String,
    pub agora_domains: Vec<String>,
    pub account_report_every_months: i32,
    pub fonctionnement_every_months: i32,
    /// `ANCESTOR` or `COORDINATION`.
    pub mandate_assigner: String,
    pub mandates_domain: String,
    pub structure_domain: String,
    pub rules_domain: String,
    /// How meetings convene and decide; omit to keep the rules in force. Only the Agora
    /// changes them.
    pub meetings: Option<MeetingRulesInput>,
}

/// A share of a group: `num / den`, above 0 and at most 1.
#[derive(Debug, InputObject)]
pub struct FractionInput {
    pub num: i32,
    pub den: i32,
}

impl FractionInput {
    fn into_core(self, field: &'static str) -> Result<governance_core::Fraction, ApiError> {
        Ok(governance_core::Fraction::new(
            months(field, self.num)?,
            months(field, self.den)?,
        ))
    }
}

/// How meetings convene and decide (R10), whole.
#[derive(Debug, InputObject)]
pub struct MeetingRulesInput {
    pub agora_notice_days: i32,
    pub unit_notice_days: i32,
    pub agora_quorum: FractionInput,
    pub unit_quorum: FractionInput,
    pub min_participants: i32,
    pub petition: FractionInput,
    pub agora_proxies_per_holder: i32,
    pub unit_proxies_per_holder: i32,
    pub minutes_close_days: i32,
    pub max_meeting_hours: i32,
    /// `COORDINATION` or `AGORA`: which body the Gouvernance and Fonctionnement meetings
    /// belong to.
    pub functioning_meetings_body: String,
    pub gouvernance_every_months: i32,
}

impl MeetingRulesInput {
    fn into_core(self) -> Result<governance_core::MeetingRules, ApiError> {
        Ok(governance_core::MeetingRules {
            agora_notice_days: months("agoraNoticeDays", self.agora_notice_days)?,
            unit_notice_days: months("unitNoticeDays", self.unit_notice_days)?,
            agora_quorum: self.agora_quorum.into_core("agoraQuorum")?,
            unit_quorum: self.unit_quorum.into_core("unitQuorum")?,
            min_participants: months("minParticipants", self.min_participants)?,
            petition: self.petition.into_core("petition")?,
            agora_proxies_per_holder: months(
                "agoraProxiesPerHolder",
                self.agora_proxies_per_holder,
            )?,
            unit_proxies_per_holder: months("unitProxiesPerHolder", self.unit_proxies_per_holder)?,
            minutes_close_days: months("minutesCloseDays", self.minutes_close_days)?,
            max_meeting_hours: months("maxMeetingHours", self.max_meeting_hours)?,
            functioning_meetings_body: body(&self.functioning_meetings_body)?,
            gouvernance_every_months: months(
                "gouvernanceEveryMonths",
                self.gouvernance_every_months,
            )?,
        })
    }
}

fn body(raw: &str) -> Result<EscalationBody, ApiError> {
    match raw {
        "COORDINATION" => Ok(EscalationBody::Coordination),
        "AGORA" => Ok(EscalationBody::Agora),
        _ => Err(ApiError::invalid(
            "the body is COORDINATION or AGORA",
            "l'instance vaut COORDINATION ou AGORA",
        )),
    }
}

fn months(field: &'static str, n: i32) -> Result<u32, ApiError> {
    u32::try_from(n).map_err(|_| {
        ApiError::invalid(
            format!("{field} must not be negative"),
            format!("« {field} » ne peut pas être négatif"),
        )
    })
}

impl SettingsInput {
    fn into_core(self, current: &Settings) -> Result<Settings, ApiError> {
        Ok(Settings {
            meetings: match self.meetings {
                Some(m) => m.into_core()?,
                None => current.meetings.clone(),
            },
            max_mandate_months: months("maxMandateMonths", self.max_mandate_months)?,
            required_consultations: self
                .required_consultations
                .iter()
                .map(|r| Ok((domain(&r.domain)?, months("count", r.count)?)))
                .collect::<Result<BTreeMap<_, _>, ApiError>>()?,
            movement_wide_goes_to: body(&self.movement_wide_goes_to)?,
            agora_domains: domains(&self.agora_domains)?,
            account_report_every_months: months(
                "accountReportEveryMonths",
                self.account_report_every_months,
            )?,
            fonctionnement_every_months: months(
                "fonctionnementEveryMonths",
                self.fonctionnement_every_months,
            )?,
            mandate_assigner: match self.mandate_assigner.as_str() {
                "ANCESTOR" => MandateAssigner::Ancestor,
                "COORDINATION" => MandateAssigner::Coordination,
                _ => {
                    return Err(ApiError::invalid(
                        "mandateAssigner is ANCESTOR or COORDINATION",
                        "mandateAssigner vaut ANCESTOR ou COORDINATION",
                    ));
                }
            },
            mandates_domain: domain(&self.mandates_domain)?,
            structure_domain: domain(&self.structure_domain)?,
            rules_domain: domain(&self.rules_domain)?,
        })
    }
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

/// What a tension is about: a unit, a role in a unit, or a rule; never a person (R14).
#[derive(Debug, OneofObject)]
pub enum TensionAboutInput {
    Unit(Uuid),
    Role(RoleInUnitInput),
    Rule(String),
}

#[derive(Debug, InputObject)]
pub struct RoleInUnitInput {
    pub unit_id: Uuid,
    pub role: RoleGql,
}

/// Where the tension goes; by default the unit's referent, or the Fonctionnement meeting for
/// a rule.
#[derive(Debug, OneofObject)]
pub enum SpaceInput {
    Referent(Uuid),
    Gouvernance(bool),
    Fonctionnement(bool),
    Coordination(bool),
    Agora(bool),
}

#[derive(Debug, InputObject)]
pub struct RaiseTensionInput {
    pub about: TensionAboutInput,
    pub space: Option<SpaceInput>,
    pub title: String,
    pub description: Option<String>,
}

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
