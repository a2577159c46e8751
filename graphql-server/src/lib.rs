//! Gouvernail's server: durable storage over SeaORM and, on top, the GraphQL API and the
//! `gouvernail` command line. The only crate that knows databases, HTTP and GraphQL.

pub mod api;
pub mod auth;
pub mod budget;
pub mod calendar;
pub mod cli;
pub mod conn;
pub mod console;
pub mod demo;
pub mod documents;
pub mod export;
pub mod http;
pub mod outbox;
pub mod scope;
pub mod store;
pub mod web;
