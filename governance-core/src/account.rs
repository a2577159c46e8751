//! Account reports (R16): whoever received authority renders account to those who mandated them,
//! at the cadence the settings set. Which reports are due and which are missing is computed.

use crate::id::{AccountReportId, MandateId, MemberId};
use crate::mandate::Mandate;
use crate::text::Text;
use crate::time::{Instant, Period, add_months};

/// Why a report was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountReportError {
    #[error("report {0} already exists")]
    Duplicate(AccountReportId),
    #[error("only the holder of mandate {0} renders its account")]
    NotTheHolder(MandateId),
    #[error("a report cannot cover time outside its mandate")]
    OutsideMandate,
    #[error("a report cannot cover the future")]
    CoversFuture,
}

/// A report rendered by a holder for part of their mandate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountReport {
    pub id: AccountReportId,
    pub mandate: MandateId,
    pub author: MemberId,
    pub covers: Period,
    pub submitted_at: Instant,
    pub summary: Text,
}

/// One period for which a report is owed, with what was found for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReport {
    pub mandate: MandateId,
    pub holder: MemberId,
    pub covers: Period,
    /// The report that satisfies it, if one was rendered by the instant asked about.
    pub rendered_by: Option<AccountReportId>,
}

/// The periods a mandate owes reports for, as of `at`: one per cadence step from its start
/// until it stops granting power, each due at its end. Uncommitted mandates owe nothing, since
/// they never granted power (R4).
pub fn due_periods(mandate: &Mandate, every_months: u32, at: Instant) -> Vec<Period> {
    let mut periods = Vec::new();
    if mandate.committed_at.is_none_or(|c| c > at) {
        return periods;
    }
    let end = mandate.effective_end();
    let mut start = mandate.period.starts_at();
    // A revocation recorded after `at` is not known at `at`.
    let end = if mandate.revocation.is_some_and(|r| r.at > at) {
        mandate.period.ends_at()
    } else {
        end
    };
    while start < end {
        let next = add_months(start, every_months).min(end);
        if next > at {
            break;
        }
        if let Ok(period) = Period::new(start, next) {
            periods.push(period);
        }
        start = next;
    }
    periods
}

/// Whether `report` satisfies the owed `period`: it covers the whole of it.
pub fn satisfies(report: &AccountReport, period: &Period) -> bool {
    report.covers.starts_at() <= period.starts_at() && report.covers.ends_at() >= period.ends_at()
}
