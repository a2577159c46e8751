//! Exports for spreadsheets: `exportCsv(what:)` gives decisions, mandates or tensions as CSV
//! text (with its byte-order mark), within what the caller may read (R17): an outsider gets
//! the published decisions only, and no mandates or tensions, which are internal.

use super::ApiResult;
use super::context::{member, state};
use crate::export::csv;
use async_graphql::{Context, Enum, Object};
use governance_core::queries::Reader;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ExportKind {
    Decisions,
    Mandates,
    Tensions,
}

/// Exports.
#[derive(Debug, Default)]
pub struct ExportsQuery;

#[Object]
impl ExportsQuery {
    /// Decisions, mandates or tensions as CSV: UTF-8 starting with a byte-order mark, `;`
    /// between fields, headers in French, formula-like cells neutralised with a leading `'`.
    /// Outsiders may export the published decisions only.
    async fn export_csv(&self, ctx: &Context<'_>, what: ExportKind) -> ApiResult<String> {
        let now = super::context::now();
        if what != ExportKind::Decisions {
            member(ctx)?;
        }
        let s = state(ctx, None).await?;
        let movement = &s.movement;
        Ok(match what {
            ExportKind::Decisions => {
                let reader = member(ctx).map_or(Reader::Outsider, Reader::Member);
                csv::decisions(movement, movement.read_scope(reader, now), now)
            }
            ExportKind::Mandates => csv::mandates(movement, now),
            ExportKind::Tensions => csv::tensions(movement, now),
        })
    }
}
