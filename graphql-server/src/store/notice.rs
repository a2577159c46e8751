//! Notices of what was just recorded, for live subscriptions. Each resident movement has one
//! channel, fed in revision order by whatever advances its state in memory: this server's own
//! write once it commits, or the catch-up that follows a write committed by another server. The
//! state remembers the last revision it announced, so an entry is announced once per server even
//! when the state is rebuilt.

use governance_core::{DecisionId, Event, TensionId};
use tokio::sync::broadcast;

/// How many notices a subscriber may fall behind before it is told it missed some.
pub const CAPACITY: usize = 1024;

/// What was just recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Decision(DecisionId),
    Tension(TensionId),
}

impl Notice {
    /// The notice an event gives, if subscribers hear of it.
    pub fn of(event: &Event) -> Option<Self> {
        match event {
            Event::Decision(d) => Some(Self::Decision(d.id)),
            Event::TensionRaised(t) => Some(Self::Tension(t.id)),
            _ => None,
        }
    }
}

/// A movement's channel and how far it has announced.
#[derive(Debug, Clone)]
pub(crate) struct Notices {
    sender: broadcast::Sender<Notice>,
    /// The last revision announced (or passed over: token entries, events without a notice).
    last: i64,
}

impl Notices {
    pub(crate) fn new() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            last: 0,
        }
    }

    /// Announces the entry at `revision`, unless it was announced already.
    pub(crate) fn announce(&mut self, revision: i64, notice: Option<Notice>) {
        if revision <= self.last {
            return;
        }
        self.last = revision;
        if let Some(n) = notice {
            // No subscriber is not an error: the notice is simply not heard.
            let _ = self.sender.send(n);
        }
    }

    pub(crate) fn sender(&self) -> &broadcast::Sender<Notice> {
        &self.sender
    }
}
