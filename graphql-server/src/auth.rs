//! API tokens: random (256 bits), shown once, stored only as a SHA-256 hash, tied to one member,
//! revocable. `Authorization: Bearer <token>` identifies the caller.

use crate::store::entity::api_tokens;
use crate::store::{Store, StoreError};
use governance_core::{MemberId, OrganizationId};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};
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

/// Whether the token with this digest is still live (not revoked); for long-lived connections,
/// which also check that its member still is one. A database failure is an error, not a "no".
pub async fn is_live(store: &Store, digest: &[u8; 32]) -> Result<bool, DbErr> {
    Ok(api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hex::encode(digest)))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .one(store.connection())
        .await?
        .is_some())
}

/// Makes a token for a member, stores its hash, and returns the token (the only time it is seen).
pub async fn create(
    store: &Store,
    org: OrganizationId,
    member: MemberId,
    label: &str,
) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{PREFIX}{}", hex::encode(bytes));
    api_tokens::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        organization_id: Set(org.as_uuid()),
        member_id: Set(member.as_uuid()),
        token_hash: Set(hash(&token)),
        created_at: Set(crate::store::codec::micros(chrono::Utc::now())),
        revoked_at: Set(None),
        label: Set(label.chars().take(200).collect()),
    }
    .insert(store.connection())
    .await?;
    tracing::info!(member = %member, "token created");
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
    let mut active: api_tokens::ActiveModel = row.into();
    active.revoked_at = Set(Some(crate::store::codec::micros(chrono::Utc::now())));
    active.update(store.connection()).await?;
    tracing::info!(member = %member, "token revoked");
    Ok(true)
}

/// The member a token belongs to, if it is live and the person is still a member.
pub async fn authenticate(
    store: &Store,
    org: OrganizationId,
    token: &str,
) -> Result<Option<MemberId>, StoreError> {
    if !token.starts_with(PREFIX) || token.len() > 200 {
        return Ok(None);
    }
    let row = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hash(token)))
        .filter(api_tokens::Column::OrganizationId.eq(org.as_uuid()))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .one(store.connection())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let member = MemberId::from_uuid(row.member_id);
    let state = store.read(org, None).await?;
    Ok(state
        .movement
        .is_member_at(member, chrono::Utc::now())
        .then_some(member))
}
