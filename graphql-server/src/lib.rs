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

/// The allocator of every program built on this crate: the `gouvernail` binary, its tests and
/// its benchmarks, so that what they measure is what the server runs (ADR 0016). A response
/// allocates many small values (each field's future, each JSON value) that are freed on another
/// worker thread; mimalloc's per-thread free lists take those without the locks glibc's
/// allocator spent about a quarter of a page's samples on.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
