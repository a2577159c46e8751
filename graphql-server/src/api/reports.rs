//! Account reports (R16): those rendered, those owed and missing, and rendering one.

use super::ApiResult;
use super::context::{lang, member, state, write};
use super::inputs::{self, period, text};
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

/// An account report rendered (the GraphQL `AccountReport`).
#[derive(Debug, Clone)]
pub struct AccountReportObject(pub AccountReport);

/// An account report rendered.
#[Object(name = "AccountReport", serial)]
impl AccountReportObject {
    async fn id(&self) -> Uuid {
        self.0.id.as_uuid()
    }

    async fn mandate_id(&self) -> Uuid {
        self.0.mandate.as_uuid()
    }

    async fn author_name(&self, ctx: &Context<'_>) -> ApiResult<String> {
        Ok(state(ctx, None).await?.movement.member_name(self.0.author))
    }

    async fn covers_from(&self) -> DateTime<Utc> {
        self.0.covers.starts_at()
    }

    async fn covers_until(&self) -> DateTime<Utc> {
        self.0.covers.ends_at()
    }

    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.submitted_at
    }

    async fn summary(&self) -> &str {
        self.0.summary.as_str()
    }
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
            .cloned()
            .map(AccountReportObject)
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
        let written = write(ctx, None, move |_, at, me| {
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
        let revision = written.revision;
        Ok(AccountReportResult {
            report: AccountReportObject(written.report(lang(ctx))?),
            revision,
        })
    }
}
