//! The movement's settings (R19) and its meeting rules (R10): their GraphQL objects, and the
//! input that replaces them through a decision's `changeSettings` effect.

use super::ApiError;
use super::inputs::{domain, domains};
use super::mirror::{mirror_enum, name_of, parse_name};
use async_graphql::{InputObject, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::{EscalationBody, MandateAssigner, MeetingRules, Settings};
use std::collections::BTreeMap;
use uuid::Uuid;

mirror_enum!(
    /// Which body a movement-wide decision goes to (R9), or which body the Gouvernance and
    /// Fonctionnement meetings belong to. The schema carries it as a string (`COORDINATION`,
    /// `AGORA`), printed by [`body_name`] and parsed by [`body`].
    EscalationBodyGql as "EscalationBody" from EscalationBody { Coordination, Agora }
);
mirror_enum!(
    /// Which unit's holders may assign, renew or revoke a mandate (R6). The schema carries it
    /// as a string (`ANCESTOR`, `COORDINATION`), printed by [`assigner_name`] and parsed by
    /// [`assigner`].
    MandateAssignerGql as "MandateAssigner" from MandateAssigner { Ancestor, Coordination }
);

/// A body as the schema writes it.
fn body_name(b: EscalationBody) -> String {
    name_of(EscalationBodyGql::from(b)).to_owned()
}

/// A mandate assigner as the schema writes it.
fn assigner_name(a: MandateAssigner) -> String {
    name_of(MandateAssignerGql::from(a)).to_owned()
}

/// The movement's rules of functioning (R19).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Settings")]
pub struct SettingsObject {
    pub max_mandate_months: i32,
    pub required_consultations: Vec<RequiredConsultation>,
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
    /// How meetings convene and decide (R10).
    pub meetings: MeetingRulesObject,
    /// The time zone people read the movement's dates in (an IANA name: `Europe/Paris`).
    pub time_zone: String,
}

/// A domain and how many people must be consulted before deciding in it.
#[derive(Debug, Clone, SimpleObject)]
pub struct RequiredConsultation {
    pub domain: String,
    pub count: i32,
}

/// One version of the settings.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "SettingsVersion")]
pub struct SettingsVersionObject {
    pub effective_at: DateTime<Utc>,
    pub adopted_by: Uuid,
    pub settings: SettingsObject,
}

impl SettingsObject {
    pub fn of(s: &governance_core::Settings) -> Self {
        Self {
            max_mandate_months: s.max_mandate_months as i32,
            required_consultations: s
                .required_consultations
                .iter()
                .map(|(d, n)| RequiredConsultation {
                    domain: d.to_string(),
                    count: *n as i32,
                })
                .collect(),
            movement_wide_goes_to: body_name(s.movement_wide_goes_to),
            agora_domains: s.agora_domains.iter().map(|d| d.to_string()).collect(),
            account_report_every_months: s.account_report_every_months as i32,
            fonctionnement_every_months: s.fonctionnement_every_months as i32,
            mandate_assigner: assigner_name(s.mandate_assigner),
            mandates_domain: s.mandates_domain.to_string(),
            structure_domain: s.structure_domain.to_string(),
            rules_domain: s.rules_domain.to_string(),
            meetings: MeetingRulesObject::of(&s.meetings),
            time_zone: s.time_zone.name().to_owned(),
        }
    }
}

/// A share of a group.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Fraction")]
pub struct FractionObject {
    pub num: i32,
    pub den: i32,
}

/// How meetings convene and decide (R10).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "MeetingRules")]
pub struct MeetingRulesObject {
    pub agora_notice_days: i32,
    pub unit_notice_days: i32,
    pub agora_quorum: FractionObject,
    pub unit_quorum: FractionObject,
    pub min_participants: i32,
    pub petition: FractionObject,
    pub agora_proxies_per_holder: i32,
    pub unit_proxies_per_holder: i32,
    pub minutes_close_days: i32,
    pub max_meeting_hours: i32,
    /// `COORDINATION` or `AGORA`.
    pub functioning_meetings_body: String,
    pub gouvernance_every_months: i32,
}

impl MeetingRulesObject {
    pub fn of(r: &MeetingRules) -> Self {
        let f = |x: governance_core::Fraction| FractionObject {
            num: x.num as i32,
            den: x.den as i32,
        };
        Self {
            agora_notice_days: r.agora_notice_days as i32,
            unit_notice_days: r.unit_notice_days as i32,
            agora_quorum: f(r.agora_quorum),
            unit_quorum: f(r.unit_quorum),
            min_participants: r.min_participants as i32,
            petition: f(r.petition),
            agora_proxies_per_holder: r.agora_proxies_per_holder as i32,
            unit_proxies_per_holder: r.unit_proxies_per_holder as i32,
            minutes_close_days: r.minutes_close_days as i32,
            max_meeting_hours: r.max_meeting_hours as i32,
            functioning_meetings_body: body_name(r.functioning_meetings_body),
            gouvernance_every_months: r.gouvernance_every_months as i32,
        }
    }
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
    /// The time zone people read dates in (an IANA name such as `Europe/Paris` or
    /// `America/Montreal`); omit to keep the one in force.
    pub time_zone: Option<String>,
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

/// A body the schema wrote.
fn body(raw: &str) -> Result<EscalationBody, ApiError> {
    parse_name::<EscalationBodyGql>(raw)
        .map(Into::into)
        .ok_or_else(|| {
            ApiError::invalid(
                "the body is COORDINATION or AGORA",
                "l'instance vaut COORDINATION ou AGORA",
            )
        })
}

/// A mandate assigner the schema wrote.
fn assigner(raw: &str) -> Result<MandateAssigner, ApiError> {
    parse_name::<MandateAssignerGql>(raw)
        .map(Into::into)
        .ok_or_else(|| {
            ApiError::invalid(
                "mandateAssigner is ANCESTOR or COORDINATION",
                "mandateAssigner vaut ANCESTOR ou COORDINATION",
            )
        })
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
    pub(super) fn into_core(self, current: &Settings) -> Result<Settings, ApiError> {
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
            mandate_assigner: assigner(&self.mandate_assigner)?,
            mandates_domain: domain(&self.mandates_domain)?,
            structure_domain: domain(&self.structure_domain)?,
            rules_domain: domain(&self.rules_domain)?,
            time_zone: match &self.time_zone {
                None => current.time_zone,
                Some(name) => name.trim().parse().map_err(|_| {
                    ApiError::invalid(
                        format!("{name:?} is not a time zone name such as Europe/Paris"),
                        format!("« {name} » n'est pas un fuseau horaire comme Europe/Paris"),
                    )
                })?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings' bodies keep the strings clients read and write (`COORDINATION`, ...),
    /// now that they go through the mirror.
    #[test]
    fn settings_enums_keep_their_strings_through_the_mirror() {
        for b in [EscalationBody::Coordination, EscalationBody::Agora] {
            assert_eq!(body_name(b), format!("{b:?}").to_uppercase());
            assert_eq!(body(&body_name(b)).unwrap(), b);
        }
        for a in [MandateAssigner::Ancestor, MandateAssigner::Coordination] {
            assert_eq!(assigner_name(a), format!("{a:?}").to_uppercase());
            assert_eq!(assigner(&assigner_name(a)).unwrap(), a);
        }
        assert!(body("coordination").is_err());
        assert!(assigner("AGORA").is_err());
    }
}
