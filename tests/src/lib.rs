//! Shared fixtures of the end-to-end tests: the demo movement, moved so that its story's
//! "today" is the latest 15th of a month, usable from the test binary and from the crash-test
//! writer process alike.

use governance_core::demo;
use governance_core::{Event, Organization, OrganizationId};

/// The demo movement's log, with random ids so that several movements can share a database.
pub fn demo_log() -> (Organization, Vec<Event>) {
    let org = OrganizationId::from_uuid(uuid::Uuid::now_v7());
    let b = demo::tilleuls_with(
        org,
        demo::months_to(chrono::Utc::now()),
        Box::new(uuid::Uuid::now_v7),
    );
    let (movement, events) = b.into_parts();
    (movement.organization().clone(), events)
}
