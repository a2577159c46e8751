//! Account reports: the holder of a mandate accounts for a period of it (R16).

use crate::account::{AccountReport, AccountReportError};
use crate::error::GovernanceError;
use crate::mandate::MandateError;
use crate::movement::Movement;
use crate::time::Period;

impl Movement {
    pub(super) fn add_report(&mut self, report: AccountReport) -> Result<(), GovernanceError> {
        if self.report_index.contains_key(&report.id) {
            return Err(AccountReportError::Duplicate(report.id).into());
        }
        let m = self
            .mandate(report.mandate)
            .ok_or(MandateError::Unknown(report.mandate))?;
        if m.holder != report.author {
            return Err(AccountReportError::NotTheHolder(report.mandate).into());
        }
        let _period: Period = report.covers;
        if report.covers.starts_at() < m.period.starts_at()
            || report.covers.ends_at() > m.effective_end()
        {
            return Err(AccountReportError::OutsideMandate.into());
        }
        if report.covers.ends_at() > report.submitted_at {
            return Err(AccountReportError::CoversFuture.into());
        }
        let idx = self.reports.len();
        self.report_index.insert(report.id, idx);
        self.reports_by_mandate
            .entry(report.mandate)
            .or_default()
            .push(idx);
        self.reports.push(report);
        Ok(())
    }
}
