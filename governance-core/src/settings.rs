//! The movement's own rules of functioning (R19): they change only through a recorded decision,
//! and every version is kept so that a past date is judged by the rules in force then.

use crate::id::DecisionId;
use crate::text::Domain;
use crate::time::Instant;
use std::collections::{BTreeMap, BTreeSet};

/// Why a set of settings was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("the longest mandate must be between 1 and 120 months, not {0}")]
    MandateLength(u32),
    #[error("the account-report cadence must be between 1 and 24 months, not {0}")]
    ReportCadence(u32),
    #[error("the Fonctionnement meeting cadence must be between 1 and 24 months, not {0}")]
    MeetingCadence(u32),
    #[error("a domain cannot require more than 50 consultations ({domain} asks {count})")]
    TooManyConsultations { domain: Domain, count: u32 },
}

/// Where a movement-wide decision must go (R9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EscalationBody {
    Coordination,
    Agora,
}

/// Which unit's `mandates` holders may assign, renew or revoke a mandate (R6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MandateAssigner {
    /// Any ancestor of the mandate's unit: a Comité's mandates come from its Pôle, or higher.
    Ancestor,
    /// Only the Coordination (and the Agora, which is sovereign).
    Coordination,
}

/// The settings of one movement at one point of its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The longest allowed mandate, in calendar months (R3).
    pub max_mandate_months: u32,
    /// Domains whose decisions need a minimum number of distinct consulted people (R8).
    pub required_consultations: BTreeMap<Domain, u32>,
    /// Where a decision declared movement-wide goes (R9).
    pub movement_wide_goes_to: EscalationBody,
    /// Domains reserved to the Agora whatever the unit (for example the charter).
    pub agora_domains: BTreeSet<Domain>,
    /// Every how many months a mandate holder renders account (R16).
    pub account_report_every_months: u32,
    /// Every how many months a Fonctionnement meeting is held (R2).
    pub fonctionnement_every_months: u32,
    /// Who assigns mandates (R6).
    pub mandate_assigner: MandateAssigner,
    /// The domain under which mandates are assigned, renewed and revoked.
    pub mandates_domain: Domain,
    /// The domain under which units are created, archived and reshaped, and members admitted.
    pub structure_domain: Domain,
    /// The domain under which these settings are changed (R19).
    pub rules_domain: Domain,
}

impl Settings {
    /// Checks the bounds that keep the engine meaningful.
    pub fn validate(self) -> Result<Self, SettingsError> {
        if !(1..=120).contains(&self.max_mandate_months) {
            return Err(SettingsError::MandateLength(self.max_mandate_months));
        }
        if !(1..=24).contains(&self.account_report_every_months) {
            return Err(SettingsError::ReportCadence(
                self.account_report_every_months,
            ));
        }
        if !(1..=24).contains(&self.fonctionnement_every_months) {
            return Err(SettingsError::MeetingCadence(
                self.fonctionnement_every_months,
            ));
        }
        if let Some((domain, count)) = self.required_consultations.iter().find(|(_, c)| **c > 50) {
            return Err(SettingsError::TooManyConsultations {
                domain: domain.clone(),
                count: *count,
            });
        }
        Ok(self)
    }

    /// How many distinct people must be consulted before deciding in `domain` (R8).
    pub fn consultations_required(&self, domain: &Domain) -> u32 {
        self.required_consultations
            .get(domain)
            .copied()
            .unwrap_or(0)
    }
}

impl Default for Settings {
    /// The charter's defaults: one-year mandates, quarterly reports, a Fonctionnement meeting
    /// every two months, movement-wide matters to the Coordination.
    fn default() -> Self {
        let domain = |s: &str| Domain::parse(s).expect("built-in domain names are valid");
        Self {
            max_mandate_months: 12,
            required_consultations: BTreeMap::new(),
            movement_wide_goes_to: EscalationBody::Coordination,
            agora_domains: BTreeSet::new(),
            account_report_every_months: 3,
            fonctionnement_every_months: 2,
            mandate_assigner: MandateAssigner::Ancestor,
            mandates_domain: domain("mandats"),
            structure_domain: domain("structure"),
            rules_domain: domain("règles"),
        }
    }
}

/// One version of the settings, with the decision that adopted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsVersion {
    pub effective_at: Instant,
    pub adopted_by: DecisionId,
    pub settings: Settings,
}

/// Every version of the settings, oldest first.
#[derive(Debug, Clone, Default)]
pub struct SettingsHistory {
    versions: Vec<SettingsVersion>,
}

impl SettingsHistory {
    pub(crate) fn push(&mut self, version: SettingsVersion) {
        self.versions.push(version);
    }

    /// The settings in force at `at`; before the founding, the defaults.
    pub fn at(&self, at: Instant) -> &Settings {
        static DEFAULT: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
        let idx = self.versions.partition_point(|v| v.effective_at <= at);
        match idx.checked_sub(1) {
            Some(i) => &self.versions[i].settings,
            None => DEFAULT.get_or_init(Settings::default),
        }
    }

    pub fn versions(&self) -> &[SettingsVersion] {
        &self.versions
    }
}
