//! The closed list of stable error codes. Clients rely on them (they become the GraphQL
//! `extensions.code`), so this list only grows; every refusal of the core maps to one.

/// A stable, documented error code. Adding one is an API change; renaming one breaks clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
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
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 24] = [
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
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
