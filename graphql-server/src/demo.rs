//! `serve --demo`: seeds the Collectif des Tilleuls into an empty database, its story moved by
//! whole months so that its "today" (the 15th) is the latest 15th, and gives each member a token.

use crate::auth;
use crate::store::{Store, StoreError};
use governance_core::{OrganizationId, demo};

/// A demo member and their new token.
#[derive(Debug, Clone)]
pub struct DemoMember {
    pub name: String,
    pub email: String,
    pub token: String,
}

/// Seeds the demo movement if the database holds none. Returns `None` when it changed nothing.
pub async fn seed(store: &Store) -> Result<Option<(OrganizationId, Vec<DemoMember>)>, StoreError> {
    if !store.organizations().await?.is_empty() {
        return Ok(None);
    }
    let org = OrganizationId::from_uuid(uuid::Uuid::now_v7());
    let b = demo::tilleuls_with(
        org,
        demo::months_to(chrono::Utc::now()),
        Box::new(uuid::Uuid::now_v7),
    );
    let (movement, events) = b.into_parts();
    let mut events = events.into_iter();
    let founding = events.next().expect("the demo starts with its founding");
    store
        .found(movement.organization().clone(), founding, None)
        .await?;
    for event in events {
        store
            .append(org, event, None, Some("données de démonstration".into()))
            .await?;
    }
    let mut members = Vec::new();
    for m in movement.members() {
        let token = auth::create(store, org, m.id, "demo").await?;
        members.push(DemoMember {
            name: m.name.to_string(),
            email: m.email.to_string(),
            token,
        });
    }
    Ok(Some((org, members)))
}
