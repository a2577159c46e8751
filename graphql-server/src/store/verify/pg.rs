//! `verify` on PostgreSQL reads its pages with sqlx directly, not through the ORM: each row is
//! kept as the driver received it and its columns are read by position, borrowed, on the rayon
//! pool where it is checked. Through the ORM every value was copied into an owned model and
//! found by its column name, one row after another on the task that also walks the links.

use super::content::{self, Cells, Link};
use crate::store::StoreError;
use crate::store::chain::ChainName;
use governance_core::Instant;
use sqlx::postgres::{PgPool, PgRow};
use sqlx::{Row, ValueRef};

/// One row of a chain, as the driver received it.
pub(super) struct Entry {
    chain: ChainName,
    row: PgRow,
}

/// Reads positions `from..=to` of a chain, in order.
pub(super) async fn page(
    pool: &PgPool,
    org: uuid::Uuid,
    chain: ChainName,
    (from, to): (i64, i64),
) -> Result<Vec<Entry>, StoreError> {
    // Built from constants only (`content::select`): nothing of the request reaches it.
    let rows = sqlx::query(sqlx::AssertSqlSafe(content::select(chain, '$')))
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
        .map_err(|e| sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(e.into())))?;
    Ok(rows.into_iter().map(|row| Entry { chain, row }).collect())
}

impl Cells for Entry {
    fn int(&self, i: usize) -> Option<i64> {
        self.row.try_get(i).ok()
    }

    fn text(&self, i: usize) -> Option<&str> {
        self.row.try_get(i).ok()
    }

    fn is_null(&self, i: usize) -> bool {
        self.row.try_get_raw(i).is_ok_and(|v| v.is_null())
    }

    fn uuid(&self, i: usize) -> Option<uuid::Uuid> {
        self.row.try_get(i).ok()
    }

    fn instant(&self, i: usize) -> Option<Instant> {
        self.row.try_get(i).ok()
    }
}

impl super::ChainRow for Entry {
    fn link(&self) -> Link<'_> {
        content::link(self)
    }

    fn content_ok(&self) -> bool {
        content::row_ok(self.chain, self)
    }
}
