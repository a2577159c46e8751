//! Notices of what was just recorded, for live subscriptions. Each resident movement has one
//! channel, fed in revision order by whatever advances its state in memory: this server's own
//! write once it commits, or the catch-up that follows a write committed by another server. The
//! state remembers the last revision it announced, so an entry is announced once per server even
//! when the state is rebuilt.

use governance_core::{DecisionId, Event, TensionId};
use std::sync::{Arc, OnceLock};
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

/// A movement's channel, opened by its first subscriber: most movements a platform holds have
/// nobody listening, and a channel's buffer is allocated whole (about 48 KB for 1,024 notices).
#[derive(Debug, Clone, Default)]
pub(crate) struct Channel(Arc<OnceLock<broadcast::Sender<Notice>>>);

impl Channel {
    /// A new listener, hearing what is announced from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.0
            .get_or_init(|| broadcast::channel(CAPACITY).0)
            .subscribe()
    }

    /// How many listen now.
    pub(crate) fn listeners(&self) -> usize {
        self.0.get().map_or(0, broadcast::Sender::receiver_count)
    }

    fn send(&self, notice: Notice) {
        // Nobody listening is not an error: the notice is simply not heard.
        if let Some(sender) = self.0.get() {
            let _ = sender.send(notice);
        }
    }
}

/// A movement's channel and how far it has announced.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notices {
    channel: Channel,
    /// The last revision announced (or passed over: token entries, events without a notice).
    last: i64,
}

impl Notices {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Announces the entry at `revision`, unless it was announced already.
    pub(crate) fn announce(&mut self, revision: i64, notice: Option<Notice>) {
        if revision <= self.last {
            return;
        }
        self.last = revision;
        if let Some(n) = notice {
            self.channel.send(n);
        }
    }

    pub(crate) fn channel(&self) -> &Channel {
        &self.channel
    }
}
