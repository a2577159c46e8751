//! What an entry's content must agree with: its stored hash must be the hash of its previous
//! hash and payload, and the columns a reader queries must say what the hashed payload says.
//! Each check reads borrowed fields, whichever way the row was read (through the ORM, or from
//! a page of a SQLite file), so that both ways judge alike.

use super::super::chain::{ChainName, link_hash_is};
use super::super::codec;
use super::super::token_log;
use governance_core::Instant;
use std::borrow::Cow;

/// The statement that reads positions `from..=to` of a chain in order, with the columns in the
/// order [`Cells`] gives them; `param` is the backend's sign for a numbered parameter (`?` on
/// SQLite, `$` on PostgreSQL).
pub(super) fn select(chain: ChainName, param: char) -> String {
    let (position, columns, table) = match chain {
        ChainName::Audit => ("revision", "action, at", "audit_entries"),
        ChainName::Decisions => (
            "seq",
            "id, unit_id, domain, title, statement, rationale, decided_at, visibility",
            "decisions",
        ),
    };
    format!(
        "SELECT {position}, prev_hash, hash, payload, {columns} FROM {table} \
         WHERE organization_id = {param}1 AND {position} BETWEEN {param}2 AND {param}3 \
         ORDER BY {position}"
    )
}

/// A row read by [`select`], its values by position. Each getter answers `None` when the value
/// is not of its type (a row changed by hand); such a row never agrees.
pub(super) trait Cells {
    fn int(&self, i: usize) -> Option<i64>;
    fn text(&self, i: usize) -> Option<&str>;
    /// Whether value `i` is NULL.
    fn is_null(&self, i: usize) -> bool;
    fn uuid(&self, i: usize) -> Option<uuid::Uuid>;
    fn instant(&self, i: usize) -> Option<Instant>;
}

/// A row's place in its chain. An unreadable position or hash reads as one that cannot link
/// (position 0, empty hash), so the walk reports a break there.
pub(super) fn link<R: Cells>(row: &R) -> Link<'_> {
    Link {
        position: row.int(0).unwrap_or(0),
        prev_hash: row.text(1),
        hash: row.text(2).unwrap_or(""),
    }
}

/// Whether a row of `chain` agrees with its hash and its columns.
pub(super) fn row_ok<R: Cells>(chain: ChainName, row: &R) -> bool {
    // The previous hash is NULL or text: anything else never links, even where NULL would.
    if !(row.is_null(1) || row.text(1).is_some()) {
        return false;
    }
    let Some(payload) = row.text(3) else {
        return false;
    };
    let link = link(row);
    match chain {
        ChainName::Audit => row.text(4).is_some_and(|action| {
            audit_ok(
                &link,
                &AuditFields {
                    action,
                    at: row.instant(5),
                    payload,
                },
            )
        }),
        ChainName::Decisions => {
            let (Some(domain), Some(title), Some(statement), Some(rationale), Some(visibility)) = (
                row.text(6),
                row.text(7),
                row.text(8),
                row.text(9),
                row.text(11),
            ) else {
                return false;
            };
            decision_ok(
                &link,
                &DecisionFields {
                    id: row.uuid(4),
                    unit_id: row.uuid(5),
                    domain,
                    title,
                    statement,
                    rationale,
                    decided_at: row.instant(10),
                    visibility,
                    payload,
                },
            )
        }
    }
}

/// An entry's place in its chain, as stored.
#[derive(Debug, Clone, Copy)]
pub(super) struct Link<'a> {
    pub position: i64,
    pub prev_hash: Option<&'a str>,
    pub hash: &'a str,
}

impl Link<'_> {
    /// Whether the stored hash is the hash of the stored previous hash and payload.
    fn hashes(&self, payload: &str) -> bool {
        link_hash_is(self.prev_hash, payload, self.hash)
    }
}

/// The columns of an audit entry that repeat its payload. `None` where a column does not hold
/// a value of its type (a row changed by hand): such a row never agrees.
struct AuditFields<'a> {
    pub action: &'a str,
    pub at: Option<Instant>,
    pub payload: &'a str,
}

/// Whether an audit entry's hash and columns agree with its payload.
fn audit_ok(link: &Link<'_>, f: &AuditFields<'_>) -> bool {
    let Some(at) = f.at else {
        return false;
    };
    let columns = if token_log::is_token_action(f.action) {
        token_log::columns_match(f.action, at, f.payload)
    } else {
        match codec::decode(f.payload) {
            Ok(event) => event.kind_name() == f.action && codec::micros(event.at()) == at,
            Err(_) => false,
        }
    };
    columns && link.hashes(f.payload)
}

/// The columns of a decision record that repeat its payload; `None` as for [`AuditFields`].
struct DecisionFields<'a> {
    pub id: Option<uuid::Uuid>,
    pub unit_id: Option<uuid::Uuid>,
    pub domain: &'a str,
    pub title: &'a str,
    pub statement: &'a str,
    pub rationale: &'a str,
    pub decided_at: Option<Instant>,
    pub visibility: &'a str,
    pub payload: &'a str,
}

/// The members of a decision's payload that its row repeats as columns, borrowed from the
/// payload where they have no escapes; the others are skipped unread.
#[derive(serde::Deserialize)]
struct DecisionColumns<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    unit: Cow<'a, str>,
    #[serde(borrow)]
    domain: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    statement: Cow<'a, str>,
    #[serde(borrow)]
    rationale: Cow<'a, str>,
    #[serde(borrow)]
    decided_at: Cow<'a, str>,
    #[serde(borrow)]
    visibility: Cow<'a, str>,
}

/// Whether a decision record's hash and columns agree with its payload.
fn decision_ok(link: &Link<'_>, f: &DecisionFields<'_>) -> bool {
    let Ok(c) = serde_json::from_str::<DecisionColumns<'_>>(f.payload) else {
        return false;
    };
    let uuid_is = |text: &str, want: Option<uuid::Uuid>| {
        want.is_some_and(|want| uuid::Uuid::parse_str(text).is_ok_and(|u| u == want))
    };
    let columns = uuid_is(&c.id, f.id)
        && uuid_is(&c.unit, f.unit_id)
        && c.domain == f.domain
        && c.title == f.title
        && c.statement == f.statement
        && c.rationale == f.rationale
        && f.decided_at.is_some_and(|at| {
            chrono::DateTime::parse_from_rfc3339(&c.decided_at)
                .is_ok_and(|d| codec::micros(d.with_timezone(&chrono::Utc)) == at)
        })
        && c.visibility == f.visibility;
    columns && link.hashes(f.payload)
}
