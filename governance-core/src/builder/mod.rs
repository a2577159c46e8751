//! A small builder that writes a movement's log event by event through the real engine, naming
//! things by human keys ("Awa", "Coordination") instead of ids. Tests, the demo and benchmarks
//! share it, so a fixture can only hold states the rules allow. `log.rs` holds the builder and its
//! effects, `events.rs` its other events, `draft.rs` its decisions, `values.rs` the fixture
//! values it parses.

mod draft;
mod events;
mod log;
mod values;

pub use crate::builder::draft::Draft;
pub use crate::builder::log::MovementBuilder;
pub use crate::builder::values::{date, domain};
