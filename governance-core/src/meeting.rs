//! Meetings (R2, R10): the Agora, unit meetings, and the Gouvernance and Fonctionnement meetings.
//! A meeting is convened with notice, a place and an agenda (*convocation*, *ordre du jour*);
//! each attendee signs their own presence (*feuille d'émargement*) or gives a proxy (*pouvoir*);
//! it decides only with a quorum, and its decisions form its relevé, closed by the chair or the
//! secretary. See `docs/adr/0005-meetings-decide-together.md`.

use crate::id::{DecisionId, EscalationId, MeetingId, MemberId, TensionId, UnitId};
use crate::rules::RulesVersion;
use crate::tension::Space;
use crate::text::{Domain, Label};
use crate::time::Instant;

/// The kinds of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingKind {
    Gouvernance,
    /// Every two months by default, where tensions about functioning are handled (R2).
    Fonctionnement,
    /// A meeting of one unit (the Coordination's included).
    Unit(UnitId),
    Agora,
}

impl MeetingKind {
    /// Whether a tension routed to `space` may be put on this meeting's agenda.
    pub fn hosts(&self, space: Space, coordination: Option<UnitId>, agora: Option<UnitId>) -> bool {
        match (self, space) {
            (MeetingKind::Gouvernance, Space::Gouvernance) => true,
            (MeetingKind::Fonctionnement, Space::Fonctionnement) => true,
            (MeetingKind::Agora, Space::Agora) => true,
            (MeetingKind::Unit(u), Space::Coordination) => Some(*u) == coordination,
            (MeetingKind::Unit(u), Space::Agora) => Some(*u) == agora,
            (MeetingKind::Unit(u), Space::Referent(r)) => *u == r,
            _ => false,
        }
    }
}

/// One item of an agenda (*ordre du jour*).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AgendaItem {
    /// Decisions in a domain of the deciding unit.
    Domain(Domain),
    /// A tension to process (R13).
    Tension(TensionId),
    /// A proposal escalated to this body (R9).
    Escalation(EscalationId),
}

/// An agenda item and when it was put on the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaEntry {
    pub item: AgendaItem,
    pub added_at: Instant,
    pub added_by: MemberId,
}

/// A proxy (*pouvoir*): `from` cannot come and is represented by `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proxy {
    pub from: MemberId,
    pub to: MemberId,
    pub given_at: Instant,
    pub withdrawn_at: Option<Instant>,
}

/// A signature on the attendance sheet, always by the person who attends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    pub member: MemberId,
    pub signed_at: Instant,
}

/// Who convened the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Convener {
    /// A referent or holder in force of the deciding unit (for the Agora: of the Coordination).
    Member(MemberId),
    /// A petition of members (Agora only); convened once enough have signed.
    Petition {
        opened_by: MemberId,
        signatures: Vec<Signature>,
    },
    /// The founding assembly, which exists before any member (the founders sign by founding).
    Founding,
    /// Scheduled under rules v1, by any member.
    Legacy(MemberId),
}

/// Why a meeting event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingError {
    #[error("meeting {0} does not exist")]
    Unknown(MeetingId),
    #[error("meeting {0} already exists")]
    Duplicate(MeetingId),
    #[error("member {member} did not attend meeting {meeting}")]
    NotAnAttendee {
        meeting: MeetingId,
        member: MemberId,
    },
    #[error("meeting {0} has not taken place yet")]
    NotYetHeld(MeetingId),
    #[error("meeting {0} has already taken place")]
    AlreadyHeld(MeetingId),
    #[error("meeting {0} would take place before it is scheduled")]
    InThePast(MeetingId),
    #[error("member {member} may not convene a meeting of this body")]
    NotEntitled { member: MemberId },
    #[error("a meeting needs {days} days' notice; this one starts too soon")]
    NoticeTooShort { days: u32 },
    #[error("a meeting lasts between one minute and {max_hours} hours")]
    Duration { max_hours: u32 },
    #[error("a meeting is convened at most {years} years ahead")]
    TooFarAhead { years: u32 },
    #[error("meeting {0} is not convened: its petition lacks signatures")]
    NotConvened(MeetingId),
    #[error("meeting {0} was scheduled under the former rules; convene it again")]
    Legacy(MeetingId),
    #[error("only the person who attends signs their presence or gives their proxy")]
    SignatureNotOwn,
    #[error("meeting {meeting} can be signed only while it takes place")]
    OutsideWindow { meeting: MeetingId },
    #[error("member {0} has already signed")]
    AlreadySigned(MemberId),
    #[error("proxy refused: {0}")]
    Proxy(ProxyRefusal),
    #[error("the relevé of meeting {0} is closed")]
    MinutesClosed(MeetingId),
    #[error("only the chair or the secretary of meeting {0} closes its relevé")]
    NotChairOrSecretary(MeetingId),
    #[error("this petition is not for an Agora, or was already convened")]
    NotAPetition(MeetingId),
    #[error("the agenda item does not fit this meeting")]
    AgendaItem,
    #[error("the Agora is convened as the Agora, not as a unit meeting")]
    AgoraAsUnit,
    #[error("the agenda has too many items (at most {max})")]
    AgendaTooLong { max: usize },
    #[error("this event belongs to the former rules and is no longer accepted")]
    Superseded,
}

/// Why a proxy was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProxyRefusal {
    #[error("a proxy is given before the meeting starts")]
    TooLate,
    #[error("a proxy is given to someone else")]
    ToSelf,
    #[error("the proxy holder already carries as many proxies as allowed ({0})")]
    OverCap(u32),
    #[error("proxies cannot be chained")]
    Chained,
    #[error("a proxy is already given")]
    AlreadyGiven,
    #[error("there is no proxy to withdraw")]
    NoneGiven,
    #[error("both people must belong to the meeting's college")]
    NotInCollege,
}

/// The longest agenda a convocation may carry.
pub const MAX_AGENDA_ITEMS: usize = 100;

/// A meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    pub kind: MeetingKind,
    /// The unit that decides in this meeting (the Agora, the unit, or the body the settings
    /// give the Gouvernance and Fonctionnement meetings).
    pub body: Option<UnitId>,
    /// When it starts.
    pub held_at: Instant,
    /// When it ends; `None` for a meeting scheduled under rules v1.
    pub ends_at: Option<Instant>,
    /// When it was scheduled or, for a petition, opened.
    pub scheduled_at: Instant,
    /// When it was convened: at once, or when its petition reached enough signatures.
    pub convened_at: Option<Instant>,
    pub convener: Convener,
    pub place: Option<Label>,
    /// The rules it was scheduled under.
    pub rules: RulesVersion,
    /// Who attended: under v1 as declared by one attendee; under v2, the signatures in order.
    pub attendees: Vec<MemberId>,
    pub signatures: Vec<Signature>,
    pub proxies: Vec<Proxy>,
    /// The tensions on its agenda.
    pub agenda: Vec<TensionId>,
    /// Every agenda item, with when it was added (v2).
    pub items: Vec<AgendaEntry>,
    /// The relevé de décisions: every decision recorded for this meeting.
    pub decisions: Vec<DecisionId>,
    /// Who recorded decisions in it (its secretaries).
    pub secretaries: Vec<MemberId>,
    /// When and by whom the relevé was closed.
    pub closed: Option<(Instant, MemberId)>,
}

impl Meeting {
    /// Whether `member` signed the attendance sheet at or before `at`.
    pub fn signed_by(&self, member: MemberId, at: Instant) -> bool {
        self.signatures
            .iter()
            .any(|s| s.member == member && s.signed_at <= at)
    }

    /// The proxy `from` gave and still holds at `at`, if any.
    pub fn proxy_of(&self, from: MemberId, at: Instant) -> Option<&Proxy> {
        self.proxies
            .iter()
            .find(|p| p.from == from && p.given_at <= at && p.withdrawn_at.is_none_or(|w| w > at))
    }

    /// The proxies `to` carries at `at`.
    pub fn proxies_held_by(&self, to: MemberId, at: Instant) -> impl Iterator<Item = &Proxy> {
        self.proxies.iter().filter(move |p| {
            p.to == to && p.given_at <= at && p.withdrawn_at.is_none_or(|w| w > at)
        })
    }

    /// When the relevé stops taking decisions: its explicit closing, or the end of the delay
    /// after the meeting's end.
    pub fn minutes_deadline(&self, close_days: u32) -> Option<Instant> {
        let by_delay = self.ends_at.map(|e| {
            e.checked_add_signed(chrono::Duration::days(i64::from(close_days)))
                .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
        });
        match (self.closed.map(|c| c.0), by_delay) {
            (Some(c), Some(d)) => Some(c.min(d)),
            (c, d) => c.or(d),
        }
    }

    /// Whether the relevé takes a decision at `at`: before its closing (a decision at the
    /// instant of the closing comes too late) and within the delay after the end.
    pub fn minutes_open_at(&self, at: Instant, close_days: u32) -> bool {
        let closed = self.closed.is_some_and(|(c, _)| at >= c);
        let late = self
            .ends_at
            .and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(close_days))))
            .is_some_and(|d| at > d);
        !closed && !late
    }

    /// Whether an item was on the agenda at or before `deadline`.
    pub fn has_item(&self, item: &AgendaItem, deadline: Instant) -> bool {
        self.items
            .iter()
            .any(|e| &e.item == item && e.added_at <= deadline)
    }
}

/// Who took part in a meeting's decision at one instant, and whether that was enough (R10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    /// The college: who may take part (all members for the Agora; the holders of the unit and
    /// of the Comités it holds for another unit), fixed at the meeting's start.
    pub college: Vec<MemberId>,
    /// Signed members of the college, in signing order.
    pub present: Vec<MemberId>,
    /// Members of the college represented by a present member: (represented, by).
    pub represented: Vec<(MemberId, MemberId)>,
    /// Signed people outside the college: they attend, but do not decide.
    pub guests: Vec<MemberId>,
    /// How many participants the quorum asks.
    pub quorum: usize,
    /// How many must be there in person: a group is never one person and proxies.
    pub min_present: usize,
}

impl Attendance {
    /// Everyone who takes part: present, then represented.
    pub fn participants(&self) -> Vec<MemberId> {
        self.present
            .iter()
            .copied()
            .chain(self.represented.iter().map(|r| r.0))
            .collect()
    }

    pub fn count(&self) -> usize {
        self.present.len() + self.represented.len()
    }

    pub fn has_quorum(&self) -> bool {
        self.count() >= self.quorum && self.present.len() >= self.min_present
    }
}
