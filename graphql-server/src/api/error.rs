//! The one error type at the API edge. Every refusal and every bad input becomes a GraphQL error
//! whose `extensions.code` comes from a closed list (`docs/errors.md`), with a message in the
//! caller's language. Internal failures are logged with a request id and never shown.

use crate::store::StoreError;
use async_graphql::{ErrorExtensions, Value as GqlValue};
use governance_core::messages::{self, Lang};
use governance_core::{DecisionError, GovernanceError, NamedStep, Refusal};

/// Codes the API adds to the core's (`governance_core::ErrorCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeCode {
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

impl EdgeCode {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeCode::Unauthenticated => "UNAUTHENTICATED",
            EdgeCode::LimitExceeded => "LIMIT_EXCEEDED",
            EdgeCode::RateLimited => "RATE_LIMITED",
            EdgeCode::Timeout => "TIMEOUT",
            EdgeCode::RevisionNotReached => "REVISION_NOT_REACHED",
            EdgeCode::IntrospectionDisabled => "INTROSPECTION_DISABLED",
            EdgeCode::BadRequest => "BAD_REQUEST",
            EdgeCode::NoticesMissed => "NOTICES_MISSED",
            EdgeCode::ReadOnlyToken => "READ_ONLY_TOKEN",
            EdgeCode::Internal => "INTERNAL",
        }
    }

    fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (EdgeCode::Unauthenticated, Lang::En) => "a member's token is required for this",
            (EdgeCode::Unauthenticated, Lang::Fr) => "il faut le jeton d'un·e membre pour cela",
            (EdgeCode::LimitExceeded, Lang::En) => "the request exceeds a limit of this server",
            (EdgeCode::LimitExceeded, Lang::Fr) => "la requête dépasse une limite du serveur",
            (EdgeCode::RateLimited, Lang::En) => "too many requests; wait a little and try again",
            (EdgeCode::RateLimited, Lang::Fr) => "trop de requêtes ; attendez un peu et réessayez",
            (EdgeCode::Timeout, Lang::En) => "the request took too long and was stopped",
            (EdgeCode::Timeout, Lang::Fr) => "la requête a pris trop de temps et a été interrompue",
            (EdgeCode::RevisionNotReached, Lang::En) => {
                "this server has not reached that revision yet"
            }
            (EdgeCode::RevisionNotReached, Lang::Fr) => {
                "ce serveur n'a pas encore atteint cette révision"
            }
            (EdgeCode::IntrospectionDisabled, Lang::En) => {
                "introspection is disabled on this server"
            }
            (EdgeCode::IntrospectionDisabled, Lang::Fr) => {
                "l'introspection est désactivée sur ce serveur"
            }
            (EdgeCode::BadRequest, Lang::En) => "the request is not a valid GraphQL request",
            (EdgeCode::BadRequest, Lang::Fr) => "la requête n'est pas une requête GraphQL valide",
            (EdgeCode::NoticesMissed, Lang::En) => {
                "this subscription fell behind and missed notices; read what was recorded with \
                 catchUp, then subscribe again"
            }
            (EdgeCode::NoticesMissed, Lang::Fr) => {
                "cet abonnement a pris du retard et a manqué des avis ; lisez ce qui a été \
                 enregistré avec catchUp, puis abonnez-vous de nouveau"
            }
            (EdgeCode::ReadOnlyToken, Lang::En) => {
                "this token may only read: a mutation needs a token of the member's own"
            }
            (EdgeCode::ReadOnlyToken, Lang::Fr) => {
                "ce jeton ne permet que la lecture : une mutation demande un jeton complet"
            }
            (EdgeCode::Internal, Lang::En) => "an internal error occurred; it was logged",
            (EdgeCode::Internal, Lang::Fr) => {
                "une erreur interne est survenue ; elle a été journalisée"
            }
        }
    }
}

/// An error as the client sees it.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
    /// The message in French, when it was built without knowing the caller's language; the
    /// HTTP edge picks it for French callers.
    pub french: Option<String>,
    pub details: Vec<(&'static str, GqlValue)>,
}

/// The private extension that carries the French message to the edge, which removes it.
pub const FRENCH: &str = "_messageFr";

impl ApiError {
    pub fn edge(code: EdgeCode, lang: Lang) -> Self {
        Self {
            code: code.as_str(),
            message: code.message(lang).to_owned(),
            french: None,
            details: Vec::new(),
        }
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn with(mut self, key: &'static str, value: impl Into<GqlValue>) -> Self {
        self.details.push((key, value.into()));
        self
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self {
            code: "VALIDATION",
            message: message.into(),
            french: None,
            details: Vec::new(),
        }
    }

    /// A validation error with its message in both languages.
    pub fn invalid(english: impl Into<String>, french: impl Into<String>) -> Self {
        Self {
            code: "VALIDATION",
            message: english.into(),
            french: Some(french.into()),
            details: Vec::new(),
        }
    }

    /// A text input that failed validation.
    pub fn text(error: &governance_core::text::TextError, field: &'static str) -> Self {
        Self::invalid(error.to_string(), messages::text_error_fr(error)).with("field", field)
    }

    /// A period input that failed validation.
    pub fn period(error: &governance_core::time::PeriodError) -> Self {
        Self::invalid(error.to_string(), messages::period_error_fr(error))
    }

    pub fn not_found(what: &str, lang: Lang) -> Self {
        Self {
            code: "NOT_FOUND",
            message: match lang {
                Lang::En => format!("{what} not found"),
                Lang::Fr => format!("introuvable : {what}"),
            },
            french: None,
            details: Vec::new(),
        }
    }

    /// A refusal of the core, in words and with where to go instead.
    /// A refusal of the core, worded by the state that refused it (`Refusal`): its code, its
    /// message in the caller's language, and the details clients branch on.
    pub fn governance(refusal: &Refusal, lang: Lang) -> Self {
        let error = &refusal.error;
        let mut e = Self {
            code: error.code().as_str(),
            message: refusal.message(lang).to_owned(),
            french: None,
            details: Vec::new(),
        };
        if let Some(route) = &refusal.route {
            e = e.with("escalateTo", route_value(route));
        }
        if let GovernanceError::Decision(DecisionError::Denied(d)) = error {
            use governance_core::DenialReason as R;
            if let Some(m) = d.reason.mandate() {
                e = e.with("mandateId", m.to_string());
            }
            match &d.reason {
                R::Expired { ended_at, .. } => e = e.with("endedAt", ended_at.to_rfc3339()),
                R::NotStarted { starts_at, .. } => e = e.with("startsAt", starts_at.to_rfc3339()),
                R::Revoked { at, by, .. } => {
                    e = e
                        .with("revokedAt", at.to_rfc3339())
                        .with("revokedBy", by.to_string())
                }
                _ => {}
            }
        }
        if let GovernanceError::Decision(DecisionError::ConsultationRequired {
            required,
            done,
            ..
        }) = error
        {
            e = e.with("required", *required).with("done", *done);
        }
        match error {
            GovernanceError::Decision(DecisionError::QuorumNotReached { present, required }) => {
                e = e
                    .with("participants", *present as i64)
                    .with("quorum", *required as i64);
            }
            GovernanceError::Meeting(governance_core::meeting::MeetingError::NoticeTooShort {
                days,
            }) => {
                e = e.with("noticeDays", *days);
            }
            _ => {}
        }
        e
    }

    /// Maps a storage error: refusals keep their code and words, an input the resolver
    /// rejected comes back as it was, everything else is logged and hidden.
    pub fn store(error: StoreError, lang: Lang) -> Self {
        match error {
            StoreError::Refused(refusal) => Self::governance(&refusal, lang),
            StoreError::Rejected(input) => match input.downcast::<RejectedInput>() {
                Ok(e) => e.0,
                Err(other) => Self::internal(&other, lang),
            },
            StoreError::RevisionNotReached { asked, current } => {
                Self::edge(EdgeCode::RevisionNotReached, lang)
                    .with("asked", asked)
                    .with("current", current)
            }
            other => Self::internal(&other, lang),
        }
    }

    /// Logs `error` with a fresh id and returns an error that shows only the id.
    pub fn internal(error: &dyn std::fmt::Display, lang: Lang) -> Self {
        let id = uuid::Uuid::now_v7();
        tracing::error!(error_id = %id, %error, "internal error");
        Self::edge(EdgeCode::Internal, lang).with("errorId", id.to_string())
    }

    /// A document refused by its budget (`crate::budget`), before the engine saw it.
    pub fn budget(error: &crate::budget::BudgetError, lang: Lang) -> Self {
        use crate::budget::BudgetError as B;
        let (code, fr) = match error {
            B::Over { what, limit } => (
                EdgeCode::LimitExceeded,
                format!("la requête dépasse une limite du serveur : plus de {limit} ({what})"),
            ),
            B::Cycle(name) => (
                EdgeCode::BadRequest,
                format!("le fragment {name} s'inclut lui-même"),
            ),
            B::UnknownFragment(name) => (
                EdgeCode::BadRequest,
                format!("le fragment {name} n'est pas défini"),
            ),
            B::Syntax(e) => (EdgeCode::BadRequest, format!("requête illisible : {e}")),
        };
        let message = match lang {
            Lang::En => error.to_string(),
            Lang::Fr => fr,
        };
        let mut e = Self::edge(code, lang).with_message(message);
        if let B::Over { limit, .. } = error {
            e = e.with("limit", *limit as i64);
        }
        e
    }

    /// The same error as a server error, for extensions that answer before the engine.
    pub fn into_server_error(self) -> async_graphql::ServerError {
        let mut err = async_graphql::ServerError::new(self.message.clone(), None);
        err.extensions = self.into_gql().extensions;
        err
    }

    pub fn into_gql(self) -> async_graphql::Error {
        let code = self.code;
        let details = self.details;
        let french = self.french;
        async_graphql::Error::new(self.message).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(fr) = french {
                ext.set(FRENCH, fr);
            }
            for (k, v) in details {
                ext.set(k, v);
            }
        })
    }
}

/// A resolver's input error on its way through the store's write (`StoreError::Rejected`), to
/// come back out as itself. `ApiError` itself is not `Display` on purpose: async-graphql's
/// blanket conversion of displayable errors would drop the `extensions.code`.
#[derive(Debug)]
pub struct RejectedInput(pub ApiError);

impl std::fmt::Display for RejectedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code, self.0.message)
    }
}

impl std::error::Error for RejectedInput {}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        e.into_gql()
    }
}


fn route_value(route: &[NamedStep]) -> GqlValue {
    GqlValue::List(
        route
            .iter()
            .map(|s| {
                let mut o = async_graphql::indexmap::IndexMap::new();
                o.insert(
                    async_graphql::Name::new("unitId"),
                    GqlValue::String(s.unit.to_string()),
                );
                o.insert(
                    async_graphql::Name::new("unitName"),
                    GqlValue::String(s.unit_name.clone()),
                );
                let kind = match s.kind {
                    governance_core::UnitKind::Agora => "AGORA",
                    governance_core::UnitKind::Coordination => "COORDINATION",
                    governance_core::UnitKind::Pole => "POLE",
                    governance_core::UnitKind::Comite => "COMITE",
                    governance_core::UnitKind::WorkingGroup => "WORKING_GROUP",
                };
                o.insert(
                    async_graphql::Name::new("unitKind"),
                    GqlValue::Enum(async_graphql::Name::new(kind)),
                );
                o.insert(
                    async_graphql::Name::new("holders"),
                    GqlValue::List(
                        s.holders
                            .iter()
                            .map(|(_, name)| GqlValue::String(name.clone()))
                            .collect(),
                    ),
                );
                GqlValue::Object(o)
            })
            .collect(),
    )
}

/// The result type of resolvers.
pub type ApiResult<T> = Result<T, async_graphql::Error>;
