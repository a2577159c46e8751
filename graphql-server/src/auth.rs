//! API tokens: random (256 bits), shown once, stored only as a SHA-256 hash, tied to one member,
//! revocable, possibly expiring and possibly read-only; created and revoked in the audit chain. `Authorization: Bearer <token>` identifies the caller.

use crate::store::entity::api_tokens;
use crate::store::tokens::CachedToken;
use crate::store::{Fence, Store, StoreError, token_log};
use governance_core::{MemberId, OrganizationId};
use rand::RngCore;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

/// Tokens start with this, so that a leaked one is recognisable in logs and scanners.
pub const PREFIX: &str = "gvn_";

/// The hash stored for a token.
pub fn hash(token: &str) -> String {
    hex::encode(digest(token))
}

/// The raw SHA-256 of a token.
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether the token with this digest is still live (not revoked, not expired); for
/// long-lived connections, which also check that its member still is one. A database failure
/// is an error, not a "no".
pub async fn is_live(store: &Store, digest: &[u8; 32]) -> Result<bool, DbErr> {
    let now = chrono::Utc::now();
    Ok(api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hex::encode(digest)))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .one(store.connection())
        .await?
        .is_some_and(|r| r.expires_at.is_none_or(|e| e > now)))
}

/// Makes a token for a member, stores its hash, and returns the token (the only time it is seen).
pub async fn create(
    store: &Store,
    org: OrganizationId,
    member: MemberId,
    label: &str,
) -> Result<String, StoreError> {
    create_scoped(store, org, member, label, None, false).await
}

/// Makes a token that expires at `expires_at` (if given) and, with `read_only`, is refused on
/// every mutation. Its creation is an entry of the audit chain (see `store::token_log`).
pub async fn create_scoped(
    store: &Store,
    org: OrganizationId,
    member: MemberId,
    label: &str,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    read_only: bool,
) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{PREFIX}{}", hex::encode(bytes));
    let row = token_log::new_row(
        org.as_uuid(),
        member,
        hash(&token),
        label,
        chrono::Utc::now(),
        expires_at,
        read_only,
    );
    store
        .change_token(org, token_log::TokenChange::Created(row), Some(member))
        .await?;
    tracing::info!(member = %member, read_only, "token created");
    Ok(token)
}

/// Revokes a token, given the token itself. Returns whether a live token was revoked.
pub async fn revoke(store: &Store, token: &str) -> Result<bool, StoreError> {
    let Some(row) = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hash(token.trim())))
        .one(store.connection())
        .await?
    else {
        return Ok(false);
    };
    if row.revoked_at.is_some() {
        return Ok(false);
    }
    let member = row.member_id;
    let org = OrganizationId::from_uuid(row.organization_id);
    let at = crate::store::codec::micros(chrono::Utc::now());
    let revoked = store
        .change_token(
            org,
            token_log::TokenChange::Revoked { token: row, at },
            None,
        )
        .await;
    match revoked {
        Ok(_) => {}
        // Someone revoked it meanwhile: one revocation, one entry.
        Err(StoreError::AlreadyRevoked) => return Ok(false),
        Err(e) => return Err(e),
    }
    tracing::info!(member = %member, "token revoked");
    Ok(true)
}

/// Writes a `token_expired` audit entry for every token of `org` whose expiry has passed and
/// has none yet (not revoked first). Every server runs it at start and every minute, so several
/// may notice one expiry at once: it is recorded once. Returns how many this call wrote.
pub async fn record_expiries(store: &Store, org: OrganizationId) -> Result<usize, StoreError> {
    use crate::store::entity::audit_entries;
    let now = chrono::Utc::now();
    let due = api_tokens::Entity::find()
        .filter(api_tokens::Column::OrganizationId.eq(org.as_uuid()))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .filter(api_tokens::Column::ExpiresAt.lte(now))
        .all(store.connection())
        .await?;
    let mut written = 0;
    for token in due {
        let recorded = audit_entries::Entity::find()
            .filter(audit_entries::Column::OrganizationId.eq(org.as_uuid()))
            .filter(audit_entries::Column::Action.eq(token_log::EXPIRED))
            .filter(audit_entries::Column::Subject.eq(format!("token:{}", token.id)))
            .one(store.connection())
            .await?
            .is_some();
        if !recorded {
            match store
                .change_token(org, token_log::TokenChange::Expired(token), None)
                .await
            {
                Ok(_) => written += 1,
                // Another server recorded it meanwhile: one expiry, one entry.
                Err(StoreError::ExpiryAlreadyRecorded) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(written)
}

/// A member's tokens, newest first, without their secrets.
pub async fn list(
    store: &Store,
    org: OrganizationId,
    member: MemberId,
) -> Result<Vec<api_tokens::Model>, StoreError> {
    use sea_orm::QueryOrder;
    Ok(api_tokens::Entity::find()
        .filter(api_tokens::Column::OrganizationId.eq(org.as_uuid()))
        .filter(api_tokens::Column::MemberId.eq(member.as_uuid()))
        .order_by_desc(api_tokens::Column::CreatedAt)
        .all(store.connection())
        .await?)
}

/// Who a live token speaks for, and whether it may only read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authenticated {
    pub member: MemberId,
    pub read_only: bool,
}

/// The member a token belongs to, if it is live and the person is still a member.
pub async fn authenticate(
    store: &Store,
    org: OrganizationId,
    token: &str,
) -> Result<Option<MemberId>, StoreError> {
    Ok(authenticate_scoped(store, org, token, &Fence::default())
        .await?
        .map(|a| a.member))
}

/// The same, with the token's scope: live means not revoked and not expired. The request's
/// `fence` checks the movement's head first (ADR 0007), which applies every token entry
/// committed before: a token revoked on any server is then out of the state's table, and is
/// looked up again, found revoked, and refused.
pub async fn authenticate_scoped(
    store: &Store,
    org: OrganizationId,
    token: &str,
    fence: &Fence,
) -> Result<Option<Authenticated>, StoreError> {
    if !token.starts_with(PREFIX) || token.len() > 200 {
        return Ok(None);
    }
    let digest = digest(token);
    let now = chrono::Utc::now();
    let (cached, table) = {
        let state = store.read_fenced(org, fence, None).await?;
        (state.tokens.get(&digest), state.tokens.clone())
    };
    let found = match cached {
        Some(t) => Some(t),
        None => {
            // Taken before the lookup: a token entry applied meanwhile voids what it finds.
            let generation = table.generation();
            let row = api_tokens::Entity::find()
                .filter(api_tokens::Column::TokenHash.eq(hex::encode(digest)))
                .filter(api_tokens::Column::OrganizationId.eq(org.as_uuid()))
                .filter(api_tokens::Column::RevokedAt.is_null())
                .one(store.connection())
                .await?;
            row.map(|r| {
                let t = CachedToken {
                    member: MemberId::from_uuid(r.member_id),
                    read_only: r.read_only,
                    expires_at: r.expires_at,
                };
                table.fill(generation, digest, t);
                t
            })
        }
    };
    let Some(token) = found.filter(|t| t.unexpired(now)) else {
        return Ok(None);
    };
    let state = store.read_fenced(org, fence, None).await?;
    Ok(state
        .movement
        .is_member_at(token.member, now)
        .then_some(Authenticated {
            member: token.member,
            read_only: token.read_only,
        }))
}
