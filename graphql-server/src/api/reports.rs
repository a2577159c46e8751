//! Account reports (R16): those rendered, those owed and missing, and rendering one.

use super::context::{lang, member, state, write};
use super::inputs::{self, period, text};
use super::{ApiError, ApiResult};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::account::{AccountReport, DueReport};
use governance_core::{Event, Movement};
use uuid::Uuid;

/// An account report owed, and whether it was rendered (R16).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "DueReport")]
pub struct DueReportObject {
    pub mandate_id: Uuid,
    pub holder_name: String,
    pub covers_from: DateTime<Utc>,
    pub covers_until: DateTime<Utc>,
    pub rendered_by: Option<Uuid>,
}

impl DueReportObject {
    pub fn of(movement: &Movement, d: &DueReport) -> Self {
        Self {
            mandate_id: d.mandate.as_uuid(),
            holder_name: movement.member_name(d.holder),
            covers_from: d.covers.starts_at(),
            covers_until: d.covers.ends_at(),
            rendered_by: d.rendered_by.map(|r| r.as_uuid()),
        }
    }
}

/// An account report rendered.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "AccountReport")]
pub struct AccountReportObject {
    pub id: Uuid,
    pub mandate_id: Uuid,
    pub author_name: String,
    pub covers_from: DateTime<Utc>,
    pub covers_until: DateTime<Utc>,
    pub submitted_at: DateTime<Utc>,
    pub summary: String,
}

/// A rendered account report, and the revision.
#[derive(SimpleObject)]
pub struct AccountReportResult {
    pub report: AccountReportObject,
    pub revision: i64,
}

/// Reads of account reports.
#[derive(Debug, Default)]
pub struct ReportsQuery;

#[Object]
impl ReportsQuery {
    /// Account reports rendered.
    async fn account_reports(&self, ctx: &Context<'_>) -> ApiResult<Vec<AccountReportObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .account_reports()
            .iter()
            .map(|r| AccountReportObject {
                id: r.id.as_uuid(),
                mandate_id: r.mandate.as_uuid(),
                author_name: s.movement.member_name(r.author),
                covers_from: r.covers.starts_at(),
                covers_until: r.covers.ends_at(),
                submitted_at: r.submitted_at,
                summary: r.summary.as_str().to_owned(),
            })
            .collect())
    }

    /// Account reports owed by `at` (default: now) and not rendered (R16).
    async fn missing_reports(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<DueReportObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .missing_reports(inputs::when(at)?)
            .iter()
            .map(|d| DueReportObject::of(&s.movement, d))
            .collect())
    }
}

/// Rendering an account report.
#[derive(Debug, Default)]
pub struct ReportsMutation;

#[Object]
impl ReportsMutation {
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
}
