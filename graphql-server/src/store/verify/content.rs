//! What an entry's content must agree with: its stored hash must be the hash of its previous
//! hash and payload, and the columns a reader queries must say what the hashed payload says.
//! Each check reads borrowed fields, whichever way the row was read (through the ORM, or from
//! a page of a SQLite file), so that both ways judge alike.

use super::super::chain::link_hash_is;
use super::super::codec;
use super::super::token_log;
use governance_core::Instant;
use std::borrow::Cow;

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
pub(super) struct AuditFields<'a> {
    pub action: &'a str,
    pub at: Option<Instant>,
    pub payload: &'a str,
}

/// Whether an audit entry's hash and columns agree with its payload.
pub(super) fn audit_ok(link: &Link<'_>, f: &AuditFields<'_>) -> bool {
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
pub(super) struct DecisionFields<'a> {
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
pub(super) fn decision_ok(link: &Link<'_>, f: &DecisionFields<'_>) -> bool {
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
