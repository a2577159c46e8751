//! The one error type at the API edge. Every refusal and every bad input becomes a GraphQL error
//! whose `extensions.code` comes from a closed list (`docs/errors.md`), with a message in the
//! caller's language. Internal failures are logged with a request id and never shown.

use crate::store::StoreError;
use async_graphql::{ErrorExtensions, Value as GqlValue};
pub use governance_core::Code;
use governance_core::messages::{self, Lang};
use governance_core::{DecisionError, GovernanceError, NamedStep, Refusal};

/// An error as the client sees it.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// One of the closed list (`governance_core::Code`, `docs/errors.md`).
    pub code: Code,
    pub message: String,
    /// The message in French, when it was built without knowing the caller's language; the
    /// HTTP edge picks it for French callers.
    pub french: Option<String>,
    pub details: Vec<(&'static str, GqlValue)>,
}

/// The private extension that carries the French message to the edge, which removes it.
pub const FRENCH: &str = "_messageFr";

impl ApiError {
    /// An error with `code`'s general message from the one catalogue (`messages::code_message`).
    pub fn new(code: Code, lang: Lang) -> Self {
        Self {
            code,
            message: messages::code_message(code, lang).to_owned(),
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
            code: Code::Validation,
            message: message.into(),
            french: None,
            details: Vec::new(),
        }
    }

    /// A validation error with its message in both languages.
    pub fn invalid(english: impl Into<String>, french: impl Into<String>) -> Self {
        Self {
            code: Code::Validation,
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
            code: Code::NotFound,
            message: match lang {
                Lang::En => format!("{what} not found"),
                Lang::Fr => format!("introuvable : {what}"),
            },
            french: None,
            details: Vec::new(),
        }
    }

    /// A refusal of the core, worded by the state that refused it (`Refusal`): its code, its
    /// message in the caller's language, and the details clients branch on.
    pub fn governance(refusal: &Refusal, lang: Lang) -> Self {
        let error = &refusal.error;
        let mut e = Self {
            code: error.code(),
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
                Self::new(Code::RevisionNotReached, lang)
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
        Self::new(Code::Internal, lang).with("errorId", id.to_string())
    }

    /// A document refused by its budget (`crate::budget`), before the engine saw it.
    pub fn budget(error: &crate::budget::BudgetError, lang: Lang) -> Self {
        use crate::budget::BudgetError as B;
        let (code, fr) = match error {
            B::Over { what, limit } => (
                Code::LimitExceeded,
                format!(
                    "la requête dépasse une limite du serveur : plus de {limit} {}",
                    budget_words_fr(what)
                ),
            ),
            B::Cycle(name) => (
                Code::BadRequest,
                format!("le fragment {name} s'inclut lui-même"),
            ),
            B::UnknownFragment(name) => (
                Code::BadRequest,
                format!("le fragment {name} n'est pas défini"),
            ),
            B::Syntax(e) => (Code::BadRequest, format!("requête illisible : {e}")),
        };
        let message = match lang {
            Lang::En => error.to_string(),
            Lang::Fr => fr,
        };
        let mut e = Self::new(code, lang).with_message(message);
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
            ext.set("code", code.as_str());
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

/// What a document bound counts, in French ("levels of nesting" → "niveaux d'imbrication").
fn budget_words_fr(what: &str) -> &'static str {
    match what {
        "aliases" => "alias",
        "directives" => "directives",
        "fields once fragments are expanded" => "champs, fragments développés",
        "fragment spreads" => "inclusions de fragments",
        "fragments" => "fragments",
        "levels of nesting" => "niveaux d'imbrication",
        "tokens" => "éléments lexicaux",
        _ => "éléments",
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
