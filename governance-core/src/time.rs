//! Instants and half-open periods. The core never reads the clock: every rule takes the instant
//! it is asked about as an argument.

use chrono::{DateTime, Months, Utc};
use std::fmt;

/// An instant, in UTC. Storage keeps microsecond precision, so the core does too.
pub type Instant = DateTime<Utc>;

/// Why a period could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("a period must end after it starts (start {starts_at}, end {ends_at})")]
    EndsBeforeStart {
        starts_at: Instant,
        ends_at: Instant,
    },
}

/// A half-open interval `[starts_at, ends_at)`: it contains its start and not its end (R3).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    starts_at: Instant,
    ends_at: Instant,
}

impl Period {
    /// Builds a period; an empty or reversed one is refused.
    pub fn new(starts_at: Instant, ends_at: Instant) -> Result<Self, PeriodError> {
        if ends_at <= starts_at {
            return Err(PeriodError::EndsBeforeStart { starts_at, ends_at });
        }
        Ok(Self { starts_at, ends_at })
    }

    pub fn starts_at(&self) -> Instant {
        self.starts_at
    }

    pub fn ends_at(&self) -> Instant {
        self.ends_at
    }

    /// Whether `at` falls inside `[starts_at, ends_at)`.
    pub fn contains(&self, at: Instant) -> bool {
        self.starts_at <= at && at < self.ends_at
    }

    /// Whether the period is no longer than `months` calendar months.
    pub fn fits_within_months(&self, months: u32) -> bool {
        match self.starts_at.checked_add_months(Months::new(months)) {
            Some(limit) => self.ends_at <= limit,
            None => true,
        }
    }
}

impl fmt::Debug for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {})", self.starts_at, self.ends_at)
    }
}

/// Adds calendar months, saturating at the far future instead of failing.
pub fn add_months(at: Instant, months: u32) -> Instant {
    at.checked_add_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
