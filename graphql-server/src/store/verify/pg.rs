//! `verify` on PostgreSQL reads its pages with sqlx directly, not through the ORM: each row is
//! kept as the driver received it and its columns are read by position, borrowed, on the rayon
//! pool where it is checked. Through the ORM every value was copied into an owned model and
//! found by its column name, one row after another on the task that also walks the links.

use super::content::{self, AuditFields, DecisionFields, Link};
use crate::store::StoreError;
use crate::store::chain::ChainName;
use governance_core::Instant;
use sqlx::Row;
use sqlx::postgres::{PgPool, PgRow};

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
    let sql = match chain {
        ChainName::Audit => {
            "SELECT revision, prev_hash, hash, payload, action, at FROM audit_entries \
             WHERE organization_id = $1 AND revision BETWEEN $2 AND $3 ORDER BY revision"
        }
        ChainName::Decisions => {
            "SELECT seq, prev_hash, hash, payload, id, unit_id, domain, title, statement, \
             rationale, decided_at, visibility FROM decisions \
             WHERE organization_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq"
        }
    };
    let rows = sqlx::query(sql)
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
        .map_err(|e| sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(e.into())))?;
    Ok(rows.into_iter().map(|row| Entry { chain, row }).collect())
}

impl Entry {
    fn text(&self, i: usize) -> Option<&str> {
        self.row.try_get::<&str, _>(i).ok()
    }
}

impl super::ChainRow for Entry {
    /// An unreadable position or hash reads as one that cannot link (position 0, empty hash),
    /// so the walk reports a break there.
    fn link(&self) -> Link<'_> {
        Link {
            position: self.row.try_get::<i64, _>(0).unwrap_or(0),
            prev_hash: self.row.try_get::<Option<&str>, _>(1).ok().flatten(),
            hash: self.text(2).unwrap_or(""),
        }
    }

    fn content_ok(&self) -> bool {
        let link = self.link();
        let Some(payload) = self.text(3) else {
            return false;
        };
        let at = |i: usize| self.row.try_get::<Instant, _>(i).ok();
        let uuid = |i: usize| self.row.try_get::<uuid::Uuid, _>(i).ok();
        match self.chain {
            ChainName::Audit => self.text(4).is_some_and(|action| {
                content::audit_ok(
                    &link,
                    &AuditFields {
                        action,
                        at: at(5),
                        payload,
                    },
                )
            }),
            ChainName::Decisions => {
                let (Some(domain), Some(title), Some(statement), Some(rationale)) =
                    (self.text(6), self.text(7), self.text(8), self.text(9))
                else {
                    return false;
                };
                self.text(11).is_some_and(|visibility| {
                    content::decision_ok(
                        &link,
                        &DecisionFields {
                            id: uuid(4),
                            unit_id: uuid(5),
                            domain,
                            title,
                            statement,
                            rationale,
                            decided_at: at(10),
                            visibility,
                            payload,
                        },
                    )
                })
            }
        }
    }
}
