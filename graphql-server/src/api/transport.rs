//! Over WebSocket, only subscriptions: queries and mutations go through HTTP, where the body
//! limit, the timeout and the rate limits apply.

use super::{Code, RequestData};
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerError, ServerResult, Variables};
use std::sync::Arc;

/// The extension that measures every document against its budget before the engine parses,
/// validates or runs it, on every transport (see `crate::budget`).
#[derive(Debug, Clone, Copy)]
pub struct DocumentBudget {
    pub limits: crate::budget::DocumentLimits,
    pub introspection: bool,
}

impl ExtensionFactory for DocumentBudget {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_trait::async_trait]
impl Extension for DocumentBudget {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let lang = ctx
            .data_opt::<RequestData>()
            .map(|d| d.lang)
            .unwrap_or(governance_core::messages::Lang::En);
        let refusal = match crate::budget::measure(query, &self.limits) {
            Ok(m) if m.introspection && !self.introspection => {
                Some(super::ApiError::new(Code::IntrospectionDisabled, lang))
            }
            // The engine words its own syntax errors, with their locations.
            Ok(_) | Err(crate::budget::BudgetError::Syntax(_)) => None,
            Err(e) => Some(super::ApiError::budget(&e, lang)),
        };
        match refusal {
            None => next.run(ctx, query, variables).await,
            Some(e) => Err(e.into_server_error()),
        }
    }
}

/// How a request arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Http,
    WebSocket,
}

/// The extension that refuses queries and mutations sent over WebSocket.
#[derive(Debug, Default)]
pub struct SubscriptionsOnlyOverWebSocket;

impl ExtensionFactory for SubscriptionsOnlyOverWebSocket {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SubscriptionsOnlyOverWebSocket)
    }
}

#[async_trait::async_trait]
impl Extension for SubscriptionsOnlyOverWebSocket {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let data = ctx.data_opt::<RequestData>().copied();
        let over_ws = data.is_some_and(|d| d.transport == Transport::WebSocket);
        if over_ws
            && document
                .operations
                .iter()
                .any(|(_, op)| op.node.ty != OperationType::Subscription)
        {
            let lang = data
                .map(|d| d.lang)
                .unwrap_or(governance_core::messages::Lang::En);
            let message = match lang {
                governance_core::messages::Lang::En => {
                    "only subscriptions are served over WebSocket; send queries and mutations over HTTP"
                }
                governance_core::messages::Lang::Fr => {
                    "seuls les abonnements passent par WebSocket ; envoyez requêtes et mutations en HTTP"
                }
            };
            let mut err = ServerError::new(message, None);
            let mut ext = async_graphql::ErrorExtensionValues::default();
            ext.set("code", Code::BadRequest.as_str());
            err.extensions = Some(ext);
            return Err(err);
        }
        Ok(document)
    }
}
