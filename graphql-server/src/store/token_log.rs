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
pub const EXPIRED: &str = "token_expired";

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
    /// A token reached its expiry (the entry is written when the server notices, and says when).
    Expired(api_tokens::Model),
}

impl TokenChange {
    fn action(&self) -> &'static str {
        match self {
            TokenChange::Created(_) => CREATED,
            TokenChange::Revoked { .. } => REVOKED,
            TokenChange::Expired(_) => EXPIRED,
        }
    }

    fn at(&self) -> Instant {
        match self {
            TokenChange::Created(t) => t.created_at,
            TokenChange::Revoked { at, .. } => *at,
            TokenChange::Expired(t) => t.expires_at.unwrap_or(t.created_at),
        }
    }

    fn token(&self) -> &api_tokens::Model {
        match self {
            TokenChange::Created(t)
            | TokenChange::Revoked { token: t, .. }
            | TokenChange::Expired(t) => t,
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
            // The entry binds the token (by its hash), its scope and its expiry.
            v["token_hash"] = json!(t.token_hash);
            v["label"] = json!(t.label);
            v["read_only"] = json!(t.read_only);
            v["expires_at"] = t.expires_at.map(instant).unwrap_or(Value::Null);
        }
        v
    }
}

/// Whether an audit row is a token entry, whose payload is not a governance event.
pub fn is_token_action(action: &str) -> bool {
    action == CREATED || action == REVOKED || action == EXPIRED
}

/// Whether a stored payload is a token entry (read from the hashed payload itself).
pub fn is_token_payload(payload: &str) -> bool {
    // Token payloads are small objects whose `kind` comes first in canonical order only by
    // chance; parse just enough to read it.
    payload.contains("\"kind\":\"token_")
        && serde_json::from_str::<Value>(payload)
            .ok()
            .and_then(|v| v.get("kind").and_then(Value::as_str).map(is_token_action))
            .unwrap_or(false)
}

/// Whether the token rows agree with their creation and revocation entries: a row whose hash,
/// scope or expiry was changed behind the chain, or that claims a revocation the chain does
/// not hold, is reported with the revision of its entry. Rows made before tokens entered the
/// chain have no entry and are not checked.
pub fn rows_agree(rows: &[api_tokens::Model], entries: &[audit_entries::Model]) -> Option<i64> {
    use std::collections::HashMap;
    let mut created: HashMap<String, (i64, Value)> = HashMap::new();
    let mut revoked: HashMap<String, (i64, Value)> = HashMap::new();
    for e in entries {
        let Ok(v) = serde_json::from_str::<Value>(&e.payload) else {
            continue;
        };
        let Some(id) = v.get("token").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        match v.get("kind").and_then(Value::as_str) {
            Some(CREATED) => {
                created.insert(id, (e.revision, v));
            }
            Some(REVOKED) => {
                revoked.insert(id, (e.revision, v));
            }
            _ => {}
        }
    }
    for row in rows {
        let id = row.id.hyphenated().to_string();
        let Some((revision, v)) = created.get(&id) else {
            continue;
        };
        let expires = row.expires_at.map(instant).unwrap_or(Value::Null);
        let agrees = v.get("token_hash").and_then(Value::as_str) == Some(row.token_hash.as_str())
            && v.get("read_only").and_then(Value::as_bool) == Some(row.read_only)
            && v.get("expires_at") == Some(&expires)
            && v.get("member").and_then(Value::as_str)
                == Some(row.member_id.hyphenated().to_string().as_str());
        let revocation_agrees = match (row.revoked_at, revoked.get(&id)) {
            (None, None) => true,
            (Some(at), Some((_, r))) => r.get("at") == Some(&instant(at)),
            _ => false,
        };
        if !agrees || !revocation_agrees {
            return Some(*revision);
        }
    }
    None
}

/// Whether a token entry's columns (its action and instant) agree with its payload.
pub fn columns_match(action: &str, at: Instant, payload: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(payload) else {
        return false;
    };
    let said = v
        .get("at")
        .and_then(Value::as_str)
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
    v.get("kind").and_then(Value::as_str) == Some(action)
        && said.is_some_and(|a| micros(a.with_timezone(&chrono::Utc)) == at)
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
            // Under the lock, and only if no one revoked it meanwhile.
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let changed = api_tokens::Entity::update_many()
                .col_expr(
                    api_tokens::Column::RevokedAt,
                    sea_orm::sea_query::Expr::value(*at),
                )
                .filter(api_tokens::Column::Id.eq(token.id))
                .filter(api_tokens::Column::RevokedAt.is_null())
                .exec(db)
                .await?;
            if changed.rows_affected != 1 {
                return Err(StoreError::AlreadyRevoked);
            }
        }
        // The row already says when it expires; only the entry is new. Every server notices
        // the same expiry: under the lock, only the first records it.
        TokenChange::Expired(t) => {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let recorded = audit_entries::Entity::find()
                .filter(audit_entries::Column::OrganizationId.eq(t.organization_id))
                .filter(audit_entries::Column::Action.eq(EXPIRED))
                .filter(audit_entries::Column::Subject.eq(format!("token:{}", t.id)))
                .one(db)
                .await?
                .is_some();
            if recorded {
                return Err(StoreError::ExpiryAlreadyRecorded);
            }
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
    Ok(Receipt {
        revision,
        hash,
        outcome: None,
    })
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
