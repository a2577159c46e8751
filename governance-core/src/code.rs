//! The closed list of stable error codes: every code the API can return, the core's refusals and
//! the edge's (authentication, limits, transport). Clients rely on them (they become the GraphQL
//! `extensions.code`), so this list only grows. Each has its message in English and in French in
//! the one catalogue (`messages::code_message`), and `docs/errors.md` lists exactly these (a test
//! compares them).

/// The name the core's refusals have used since the first release.
pub type ErrorCode = Code;

/// A stable, documented error code. Adding one is an API change; renaming one breaks clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    NotAMember,
    NoMandate,
    NotCommitted,
    MandateNotStarted,
    MandateExpired,
    MandateRevoked,
    OutOfScope,
    ConsultationRequired,
    EscalationRequired,
    Validation,
    NotFound,
    Conflict,
    MeetingRequired,
    MeetingWrongUnit,
    MeetingNotConvened,
    MeetingNotHeld,
    MinutesClosed,
    NotEntitled,
    NoticeTooShort,
    NotAnAttendee,
    SignatureNotOwn,
    ProxyRefused,
    QuorumNotReached,
    NotOnAgenda,
    // The edge's: what the server answers before, around or instead of the core.
    Unauthenticated,
    LimitExceeded,
    RateLimited,
    Timeout,
    RevisionNotReached,
    IntrospectionDisabled,
    BadRequest,
    NoticesMissed,
    ReadOnlyToken,
    Internal,
}

impl Code {
    /// Every code, the core's first.
    pub const ALL: [Code; 34] = [
        ErrorCode::NotAMember,
        ErrorCode::NoMandate,
        ErrorCode::NotCommitted,
        ErrorCode::MandateNotStarted,
        ErrorCode::MandateExpired,
        ErrorCode::MandateRevoked,
        ErrorCode::OutOfScope,
        ErrorCode::ConsultationRequired,
        ErrorCode::EscalationRequired,
        ErrorCode::Validation,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::MeetingRequired,
        ErrorCode::MeetingWrongUnit,
        ErrorCode::MeetingNotConvened,
        ErrorCode::MeetingNotHeld,
        ErrorCode::MinutesClosed,
        ErrorCode::NotEntitled,
        ErrorCode::NoticeTooShort,
        ErrorCode::NotAnAttendee,
        ErrorCode::SignatureNotOwn,
        ErrorCode::ProxyRefused,
        ErrorCode::QuorumNotReached,
        ErrorCode::NotOnAgenda,
        Code::Unauthenticated,
        Code::LimitExceeded,
        Code::RateLimited,
        Code::Timeout,
        Code::RevisionNotReached,
        Code::IntrospectionDisabled,
        Code::BadRequest,
        Code::NoticesMissed,
        Code::ReadOnlyToken,
        Code::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotAMember => "NOT_A_MEMBER",
            ErrorCode::NoMandate => "NO_MANDATE",
            ErrorCode::NotCommitted => "NOT_COMMITTED",
            ErrorCode::MandateNotStarted => "MANDATE_NOT_STARTED",
            ErrorCode::MandateExpired => "MANDATE_EXPIRED",
            ErrorCode::MandateRevoked => "MANDATE_REVOKED",
            ErrorCode::OutOfScope => "OUT_OF_SCOPE",
            ErrorCode::ConsultationRequired => "CONSULTATION_REQUIRED",
            ErrorCode::EscalationRequired => "ESCALATION_REQUIRED",
            ErrorCode::Validation => "VALIDATION",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::MeetingRequired => "MEETING_REQUIRED",
            ErrorCode::MeetingWrongUnit => "MEETING_WRONG_UNIT",
            ErrorCode::MeetingNotConvened => "MEETING_NOT_CONVENED",
            ErrorCode::MeetingNotHeld => "MEETING_NOT_HELD",
            ErrorCode::MinutesClosed => "MINUTES_CLOSED",
            ErrorCode::NotEntitled => "NOT_ENTITLED",
            ErrorCode::NoticeTooShort => "NOTICE_TOO_SHORT",
            ErrorCode::NotAnAttendee => "NOT_AN_ATTENDEE",
            ErrorCode::SignatureNotOwn => "SIGNATURE_NOT_OWN",
            ErrorCode::ProxyRefused => "PROXY_REFUSED",
            ErrorCode::QuorumNotReached => "QUORUM_NOT_REACHED",
            ErrorCode::NotOnAgenda => "NOT_ON_AGENDA",
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::LimitExceeded => "LIMIT_EXCEEDED",
            Code::RateLimited => "RATE_LIMITED",
            Code::Timeout => "TIMEOUT",
            Code::RevisionNotReached => "REVISION_NOT_REACHED",
            Code::IntrospectionDisabled => "INTROSPECTION_DISABLED",
            Code::BadRequest => "BAD_REQUEST",
            Code::NoticesMissed => "NOTICES_MISSED",
            Code::ReadOnlyToken => "READ_ONLY_TOKEN",
            Code::Internal => "INTERNAL",
        }
    }

    /// The code spelled `name`, if there is one.
    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
