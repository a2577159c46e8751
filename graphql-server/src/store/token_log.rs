//! API tokens in the audit trail: creating and revoking a token are entries of the hash-chained
//! audit log, written in the same transaction as the token's row, so that who could act as whom,
//! from when, until when and with which scope can be proved like any governance event. They are
//! not governance events: a replay of the log passes over them and the movement's state does
//! not change. A token's expiry is written in its creation entry.

use super::chain::link_hash;
use super::codec::{self, canonical_bytes, instant, micros};
use super::entity::{api_tokens, audit_entries};
use super::{OrgState, Receipt, StoreError, new_id};
use governance_core::{Instant, MemberId};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

/// The action names of token entries; every other action is a governance event.
pub const CREATED: &str = "token_created";
pub const REVOKED: &str = "token_revoked";

/// What happens to a token.
#[derive(Debug, Clone)]
pub enum TokenChange {
    /// A new token's row (its hash, never the token itself).
    Created(api_tokens::Model),
    /// A live token is revoked at `at`.
    Revoked {
        token: api_tokens::Model,
        at: Instant,
    },
}

impl TokenChange {
    fn action(&self) -> &'static str {
        match self {
            TokenChange::Created(_) => CREATED,
            TokenChange::Revoked { .. } => REVOKED,
        }
    }

    fn at(&self) -> Instant {
        match self {
            TokenChange::Created(t) => t.created_at,
            TokenChange::Revoked { at, .. } => *at,
        }
    }

    fn token(&self) -> &api_tokens::Model {
        match self {
            TokenChange::Created(t) | TokenChange::Revoked { token: t, .. } => t,
        }
    }

    /// The entry's canonical payload: who, which token, scope and expiry; no secret, no hash.
    fn payload(&self) -> Value {
        let t = self.token();
        let mut v = json!({
            "kind": self.action(),
            "token": t.id.hyphenated().to_string(),
            "member": t.member_id.hyphenated().to_string(),
            "at": instant(self.at()),
        });
        if let TokenChange::Created(t) = self {
            v["label"] = json!(t.label);
            v["read_only"] = json!(t.read_only);
            v["expires_at"] = t.expires_at.map(instant).unwrap_or(Value::Null);
        }
        v
    }
}

/// Whether an audit row is a token entry, whose payload is not a governance event.
pub fn is_token_action(action: &str) -> bool {
    action == CREATED || action == REVOKED
}

/// Whether a token entry's columns agree with its payload.
pub fn columns_match(row: &audit_entries::Model) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(&row.payload) else {
        return false;
    };
    let at = v
        .get("at")
        .and_then(Value::as_str)
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
    v.get("kind").and_then(Value::as_str) == Some(row.action.as_str())
        && at.is_some_and(|a| micros(a.with_timezone(&chrono::Utc)) == row.at)
}

/// Writes the token change and its audit entry in `db` (a transaction), after the entries
/// already in `state`, and advances the audit chain's head.
pub(super) async fn store<C: ConnectionTrait>(
    db: &C,
    state: &mut OrgState,
    change: &TokenChange,
    actor: Option<MemberId>,
) -> Result<Receipt, StoreError> {
    match change {
        TokenChange::Created(t) => {
            api_tokens::ActiveModel {
                id: Set(t.id),
                organization_id: Set(t.organization_id),
                member_id: Set(t.member_id),
                token_hash: Set(t.token_hash.clone()),
                created_at: Set(t.created_at),
                revoked_at: Set(None),
                label: Set(t.label.clone()),
                expires_at: Set(t.expires_at),
                read_only: Set(t.read_only),
            }
            .insert(db)
            .await?;
        }
        TokenChange::Revoked { token, at } => {
            let mut row: api_tokens::ActiveModel = token.clone().into();
            row.revoked_at = Set(Some(*at));
            row.update(db).await?;
        }
    }
    let org = state.movement.organization().id.as_uuid();
    let revision = state.revision + 1;
    let payload =
        String::from_utf8(canonical_bytes(&change.payload())).expect("canonical JSON is UTF-8");
    let hash = link_hash(state.audit_head.as_deref(), &payload);
    audit_entries::ActiveModel {
        id: Set(new_id()),
        organization_id: Set(org),
        revision: Set(revision),
        at: Set(micros(change.at())),
        actor_id: Set(actor.map(|a| a.as_uuid())),
        action: Set(change.action().to_owned()),
        subject: Set(format!("token:{}", change.token().id)),
        reason: Set(None),
        payload: Set(payload),
        prev_hash: Set(state.audit_head.clone()),
        hash: Set(hash.clone()),
    }
    .insert(db)
    .await?;
    Ok(Receipt { revision, hash })
}

/// A new token row, for `member`, created `at`.
pub fn new_row(
    org: Uuid,
    member: MemberId,
    hash: String,
    label: &str,
    at: Instant,
    expires_at: Option<Instant>,
    read_only: bool,
) -> api_tokens::Model {
    api_tokens::Model {
        id: Uuid::now_v7(),
        organization_id: org,
        member_id: member.as_uuid(),
        token_hash: hash,
        created_at: codec::micros(at),
        revoked_at: None,
        label: label.chars().take(200).collect(),
        expires_at: expires_at.map(codec::micros),
        read_only,
    }
}
