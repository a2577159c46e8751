//! Shared fixtures of the end-to-end tests: the demo movement, shifted so that its story's
//! "today" is now, usable from the test binary and from the crash-test writer process alike.

use governance_core::builder::date;
use governance_core::demo;
use governance_core::{Event, Organization, OrganizationId};

/// How far the demo story is moved so that its "today" (2026-06-15) is the current day.
pub fn demo_shift() -> chrono::Duration {
    let now = chrono::Utc::now();
    let today = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc();
    today - date(demo::TODAY)
}

/// The demo movement's log, with random ids so that several movements can share a database.
pub fn demo_log() -> (Organization, Vec<Event>) {
    let org = OrganizationId::from_uuid(uuid::Uuid::now_v7());
    let b = demo::tilleuls_with(org, demo_shift(), Box::new(uuid::Uuid::now_v7));
    let (movement, events) = b.into_parts();
    (movement.organization().clone(), events)
}
