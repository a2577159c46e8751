//! Each member's choices about e-mail: the digest's cadence (weekly unless they choose), whether
//! reminders and convocations reach them, the units they follow (by default those they sit in),
//! and the key of the one-click link that stops everything.

use crate::store::entity::mail_preferences;
use chrono::{DateTime, Utc};
use governance_core::{Instant, MemberId, Movement, OrganizationId, UnitId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use uuid::Uuid;

/// The most units one member may follow by name.
pub const MAX_FOLLOWED_UNITS: usize = 200;

/// How often the digest comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum Cadence {
    Daily,
    Weekly,
    Never,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
            Cadence::Never => "never",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Cadence::Daily, Cadence::Weekly, Cadence::Never]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    /// The time between two digests.
    pub fn period(self) -> Option<chrono::Duration> {
        match self {
            Cadence::Daily => Some(chrono::Duration::days(1)),
            Cadence::Weekly => Some(chrono::Duration::days(7)),
            Cadence::Never => None,
        }
    }
}

/// Why preferences were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreferencesError {
    #[error("unit {0} does not exist in this movement")]
    UnknownUnit(Uuid),
    #[error("at most {MAX_FOLLOWED_UNITS} units may be followed")]
    TooManyUnits,
}

/// A member's preferences as they stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailPreferences {
    pub cadence: Cadence,
    pub reminders: bool,
    /// `None`: the units the member sits in (every unit, for a member who sits nowhere).
    pub followed_units: Option<Vec<UnitId>>,
    pub last_digest_at: Option<DateTime<Utc>>,
    pub(crate) unsubscribe_key: String,
}

impl From<mail_preferences::Model> for MailPreferences {
    fn from(m: mail_preferences::Model) -> Self {
        let followed_units = m.followed_units.as_deref().map(|json| {
            serde_json::from_str::<Vec<Uuid>>(json)
                .unwrap_or_default()
                .into_iter()
                .map(UnitId::from_uuid)
                .collect()
        });
        Self {
            cadence: Cadence::parse(&m.cadence).unwrap_or(Cadence::Weekly),
            reminders: m.reminders,
            followed_units,
            last_digest_at: m.last_digest_at,
            unsubscribe_key: m.unsubscribe_key,
        }
    }
}

impl MailPreferences {
    /// Since when a digest at `now` covers, if one is due: a period after the last, or the last
    /// period for a member who never had one.
    pub fn digest_due(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let period = self.cadence.period()?;
        let since = self.last_digest_at.unwrap_or(now - period);
        (now - since >= period).then_some(since)
    }

    /// The units whose decisions reach this member's digest at `at`.
    pub fn units(&self, movement: &Movement, member: MemberId, at: Instant) -> Vec<UnitId> {
        match &self.followed_units {
            Some(units) => units.clone(),
            None => {
                let mut units: Vec<UnitId> = movement
                    .mandates_of(member)
                    .filter(|m| m.period.starts_at() <= at && at < m.effective_end())
                    .map(|m| m.unit)
                    .collect();
                units.sort();
                units.dedup();
                // A member who sits nowhere still reads every decision (R11): they follow all.
                if units.is_empty() {
                    units = movement
                        .units()
                        .filter(|u| u.is_active_at(at))
                        .map(|u| u.id)
                        .collect();
                }
                units
            }
        }
    }
}

fn new_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The member's preferences, created with the defaults (weekly digest, reminders on, the units
/// they sit in) the first time they are needed.
pub(crate) async fn ensure<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    member: MemberId,
    now: DateTime<Utc>,
) -> Result<MailPreferences, DbErr> {
    if let Some(found) = find(db, org, member).await? {
        return Ok(found);
    }
    let row = mail_preferences::ActiveModel {
        organization_id: Set(org.as_uuid()),
        member_id: Set(member.as_uuid()),
        cadence: Set(Cadence::Weekly.as_str().to_owned()),
        reminders: Set(true),
        followed_units: Set(None),
        unsubscribe_key: Set(new_key()),
        last_digest_at: Set(None),
        updated_at: Set(now),
    };
    // Two servers creating the same member's row at once: the second insert does nothing.
    match mail_preferences::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                mail_preferences::Column::OrganizationId,
                mail_preferences::Column::MemberId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await
    {
        Ok(_) | Err(DbErr::RecordNotInserted) => {}
        Err(e) => return Err(e),
    }
    find(db, org, member)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("mail preferences".into()))
}

/// The preferences of several members at once (one read, one insert for those who had none):
/// what a convocation to a whole college needs inside the write transaction.
pub(crate) async fn ensure_all<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    members: &[MemberId],
    now: DateTime<Utc>,
) -> Result<std::collections::HashMap<MemberId, MailPreferences>, DbErr> {
    let mut found: std::collections::HashMap<MemberId, MailPreferences> =
        mail_preferences::Entity::find()
            .filter(mail_preferences::Column::OrganizationId.eq(org.as_uuid()))
            .filter(
                mail_preferences::Column::MemberId
                    .is_in(members.iter().map(|m| m.as_uuid()).collect::<Vec<_>>()),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|r| (MemberId::from_uuid(r.member_id), r.into()))
            .collect();
    let missing: Vec<MemberId> = members
        .iter()
        .copied()
        .filter(|m| !found.contains_key(m))
        .collect();
    if missing.is_empty() {
        return Ok(found);
    }
    for m in missing {
        found.insert(m, ensure(db, org, m, now).await?);
    }
    Ok(found)
}

/// Every preference row of a movement, in one query.
pub(crate) async fn all<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
) -> Result<std::collections::HashMap<MemberId, MailPreferences>, DbErr> {
    Ok(mail_preferences::Entity::find()
        .filter(mail_preferences::Column::OrganizationId.eq(org.as_uuid()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (MemberId::from_uuid(r.member_id), r.into()))
        .collect())
}

/// The member's preferences, if they were ever needed.
pub(crate) async fn find<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    member: MemberId,
) -> Result<Option<MailPreferences>, DbErr> {
    Ok(
        mail_preferences::Entity::find_by_id((org.as_uuid(), member.as_uuid()))
            .one(db)
            .await?
            .map(MailPreferences::from),
    )
}

/// What a member asks to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub cadence: Option<Cadence>,
    pub reminders: Option<bool>,
    /// `Some(None)` goes back to the units the member sits in.
    pub followed_units: Option<Option<Vec<UnitId>>>,
}

/// Checks a change against the movement before anything is written.
pub fn check(movement: &Movement, change: &Change) -> Result<(), PreferencesError> {
    if let Some(Some(units)) = &change.followed_units {
        if units.len() > MAX_FOLLOWED_UNITS {
            return Err(PreferencesError::TooManyUnits);
        }
        if let Some(unknown) = units.iter().find(|u| movement.unit(**u).is_none()) {
            return Err(PreferencesError::UnknownUnit(unknown.as_uuid()));
        }
    }
    Ok(())
}

/// Applies a checked change, in one statement after the row exists.
pub(crate) async fn apply<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    member: MemberId,
    change: Change,
    now: DateTime<Utc>,
) -> Result<MailPreferences, DbErr> {
    ensure(db, org, member, now).await?;
    let row = mail_preferences::Entity::find_by_id((org.as_uuid(), member.as_uuid()))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("mail preferences".into()))?;
    let mut row = row.into_active_model();
    if let Some(c) = change.cadence {
        row.cadence = Set(c.as_str().to_owned());
    }
    if let Some(r) = change.reminders {
        row.reminders = Set(r);
    }
    if let Some(units) = change.followed_units {
        row.followed_units = Set(units.map(|u| {
            let mut ids: Vec<Uuid> = u.iter().map(|u| u.as_uuid()).collect();
            ids.sort();
            ids.dedup();
            serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())
        }));
    }
    row.updated_at = Set(now);
    Ok(row.update(db).await?.into())
}

/// The one-click unsubscribe: the key's member gets no more digests nor reminders. Returns
/// whose key it was (`None` for a key no one has).
pub async fn unsubscribe<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<MemberId>, DbErr> {
    let Some(row) = find_by_key(db, org, key).await? else {
        return Ok(None);
    };
    let member = MemberId::from_uuid(row.member_id);
    let mut row = row.into_active_model();
    row.cadence = Set(Cadence::Never.as_str().to_owned());
    row.reminders = Set(false);
    row.updated_at = Set(now);
    row.update(db).await?;
    Ok(Some(member))
}

/// The row a key belongs to, in this movement only.
pub async fn find_by_key<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    key: &str,
) -> Result<Option<mail_preferences::Model>, DbErr> {
    if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    mail_preferences::Entity::find()
        .filter(mail_preferences::Column::OrganizationId.eq(org.as_uuid()))
        .filter(mail_preferences::Column::UnsubscribeKey.eq(key))
        .one(db)
        .await
}

/// Records that a digest was queued up to `at`.
pub(crate) async fn digested<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    member: MemberId,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    mail_preferences::Entity::update_many()
        .col_expr(
            mail_preferences::Column::LastDigestAt,
            Expr::value(Some(at)),
        )
        .filter(mail_preferences::Column::OrganizationId.eq(org.as_uuid()))
        .filter(mail_preferences::Column::MemberId.eq(member.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}
