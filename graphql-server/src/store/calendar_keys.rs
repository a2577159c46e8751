//! Calendar keys: the secret in a member's private calendar address. A key is 256 random bits
//! shown once; only its SHA-256 is stored, one per member of a movement, so regenerating it
//! (one upsert) kills the previous address at once, on every server.

use super::entity::calendar_keys;
use super::{Store, StoreError};
use governance_core::{MemberId, OrganizationId};
use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

/// A key's length: 32 random bytes, hex-encoded.
pub const KEY_LEN: usize = 64;

/// What is stored of a key.
fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Whether a text has a key's shape; anything else is refused before the database is asked.
pub fn well_formed(key: &str) -> bool {
    key.len() == KEY_LEN && key.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Store {
    /// Makes a new calendar key for `member`, replacing any previous one, and returns it (the
    /// only time it is seen).
    pub async fn regenerate_calendar_key(
        &self,
        org: OrganizationId,
        member: MemberId,
    ) -> Result<String, StoreError> {
        // The same source of randomness as tokens, sessions and sign-in links.
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let key = hex::encode(bytes);
        let row = calendar_keys::ActiveModel {
            organization_id: Set(org.as_uuid()),
            member_id: Set(member.as_uuid()),
            key_hash: Set(hash(&key)),
            created_at: Set(chrono::Utc::now()),
        };
        calendar_keys::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    calendar_keys::Column::OrganizationId,
                    calendar_keys::Column::MemberId,
                ])
                .update_columns([
                    calendar_keys::Column::KeyHash,
                    calendar_keys::Column::CreatedAt,
                ])
                .to_owned(),
            )
            .exec_without_returning(self.connection())
            .await?;
        tracing::info!(member = %member, "calendar key regenerated");
        Ok(key)
    }

    /// The member whose key this is, in this movement; `None` for any other text, an old key,
    /// or another movement's key. The look-up is by the key's hash (a unique index), so its
    /// time does not depend on how close a guess is.
    pub async fn calendar_key_member(
        &self,
        org: OrganizationId,
        key: &str,
    ) -> Result<Option<MemberId>, StoreError> {
        if !well_formed(key) {
            return Ok(None);
        }
        let row = calendar_keys::Entity::find()
            .filter(calendar_keys::Column::KeyHash.eq(hash(key)))
            .filter(calendar_keys::Column::OrganizationId.eq(org.as_uuid()))
            .one(self.connection())
            .await?;
        Ok(row.map(|r| MemberId::from_uuid(r.member_id)))
    }

    /// When `member`'s current key was made, if they have one.
    pub async fn calendar_key_created(
        &self,
        org: OrganizationId,
        member: MemberId,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        let row = calendar_keys::Entity::find_by_id((org.as_uuid(), member.as_uuid()))
            .one(self.connection())
            .await?;
        Ok(row.map(|r| r.created_at))
    }
}
