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
    #[error("the meeting setting {name} must be between {min} and {max}, not {value}")]
    MeetingBound {
        name: &'static str,
        min: u32,
        max: u32,
        value: u32,
    },
    #[error("the fraction {name} must be above 0 and at most 1, not {num}/{den}")]
    Fraction {
        name: &'static str,
        num: u32,
        den: u32,
    },
}

/// A share of a group, such as a quorum of one quarter: `num / den`, above 0 and at most 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
}

impl Fraction {
    pub const fn new(num: u32, den: u32) -> Self {
        Self { num, den }
    }

    /// The smallest whole number of people that is at least this share of `of` people.
    pub fn of(self, of: usize) -> usize {
        let (num, den) = (u64::from(self.num), u64::from(self.den.max(1)));
        (of as u64 * num).div_ceil(den) as usize
    }

    fn validate(self, name: &'static str) -> Result<(), SettingsError> {
        if self.num == 0 || self.den == 0 || self.num > self.den || self.den > 1_000 {
            return Err(SettingsError::Fraction {
                name,
                num: self.num,
                den: self.den,
            });
        }
        Ok(())
    }
}

/// How meetings decide (R2, R10): convocation, notice, quorum, proxies and the relevé. These
/// protect every group decision, so only the Agora may change them (see
/// `docs/adr/0005-meetings-decide-together.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRules {
    /// Days between the convocation of an Agora and its start.
    pub agora_notice_days: u32,
    /// Days between the convocation of any other meeting and its start.
    pub unit_notice_days: u32,
    /// Share of the members (present or represented) an Agora needs to decide.
    pub agora_quorum: Fraction,
    /// Share of a unit's college (present or represented) its meeting needs to decide.
    pub unit_quorum: Fraction,
    /// A group is at least this many people: fewer participants never decide as a body.
    pub min_participants: u32,
    /// Share of the members whose signatures convene an Agora by petition.
    pub petition: Fraction,
    /// How many proxies one person may carry to an Agora.
    pub agora_proxies_per_holder: u32,
    /// How many proxies one person may carry to any other meeting.
    pub unit_proxies_per_holder: u32,
    /// Days after a meeting's end within which its relevé is written; then it is closed.
    pub minutes_close_days: u32,
    /// The longest a meeting may last, in hours.
    pub max_meeting_hours: u32,
    /// Which body the Gouvernance and Fonctionnement meetings belong to (R2).
    pub functioning_meetings_body: EscalationBody,
    /// Every how many months a Gouvernance meeting is held (R2).
    pub gouvernance_every_months: u32,
}

impl Default for MeetingRules {
    /// What a French association would expect: fifteen days' notice for the general assembly
    /// and two for other meetings; a quarter of the members for the Agora, half of the college
    /// elsewhere; one proxy per person at the Agora, none below; a week to close the relevé.
    fn default() -> Self {
        Self {
            agora_notice_days: 15,
            unit_notice_days: 2,
            agora_quorum: Fraction::new(1, 4),
            unit_quorum: Fraction::new(1, 2),
            min_participants: 2,
            petition: Fraction::new(1, 4),
            agora_proxies_per_holder: 1,
            unit_proxies_per_holder: 0,
            minutes_close_days: 7,
            max_meeting_hours: 12,
            functioning_meetings_body: EscalationBody::Coordination,
            gouvernance_every_months: 3,
        }
    }
}

impl MeetingRules {
    fn validate(&self) -> Result<(), SettingsError> {
        let bound = |name, value: u32, min, max| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(SettingsError::MeetingBound {
                    name,
                    min,
                    max,
                    value,
                })
            }
        };
        bound("agora_notice_days", self.agora_notice_days, 1, 90)?;
        bound("unit_notice_days", self.unit_notice_days, 0, 60)?;
        // Two people at least: a group of one is a person deciding alone (R8, R10).
        bound("min_participants", self.min_participants, 2, 1_000)?;
        bound(
            "agora_proxies_per_holder",
            self.agora_proxies_per_holder,
            0,
            10,
        )?;
        bound(
            "unit_proxies_per_holder",
            self.unit_proxies_per_holder,
            0,
            10,
        )?;
        bound("minutes_close_days", self.minutes_close_days, 1, 60)?;
        bound("max_meeting_hours", self.max_meeting_hours, 1, 72)?;
        bound(
            "gouvernance_every_months",
            self.gouvernance_every_months,
            1,
            24,
        )?;
        self.agora_quorum.validate("agora_quorum")?;
        self.unit_quorum.validate("unit_quorum")?;
        self.petition.validate("petition")?;
        Ok(())
    }
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
    /// How meetings convene and decide (R2, R10).
    pub meetings: MeetingRules,
    /// The time zone in which people read the movement's dates (pages, e-mails, exports). It
    /// changes no rule: instants are absolute; it only says which calendar day they fall on.
    pub time_zone: chrono_tz::Tz,
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
        self.meetings.validate()?;
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
            meetings: MeetingRules::default(),
            time_zone: chrono_tz::Europe::Paris,
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
