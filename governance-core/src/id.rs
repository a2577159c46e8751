//! Typed identifiers: one newtype per entity, so a `MandateId` can never be passed where a
//! `UnitId` is expected.

use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps an existing UUID (from storage, or from the caller's id generator).
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// A deterministic id for fixtures and tests.
            pub const fn from_u128(n: u128) -> Self {
                Self(Uuid::from_u128(n))
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }
    )*};
}

id_type! {
    /// Identifies a movement (an organisation using Gouvernail).
    OrganizationId,
    /// Identifies a unit: the Agora, the Coordination, a Pôle, a Comité or a working group.
    UnitId,
    /// Identifies a member of the movement.
    MemberId,
    /// Identifies a mandate.
    MandateId,
    /// Identifies a decision record.
    DecisionId,
    /// Identifies a tension.
    TensionId,
    /// Identifies a meeting.
    MeetingId,
    /// Identifies an account report.
    AccountReportId,
    /// Identifies a proposal escalated to the Coordination or the Agora (R9).
    EscalationId,
}
