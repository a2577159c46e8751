//! Gouvernail's end-to-end tests: one binary, each test on its own fresh database (a temporary
//! SQLite file, and a fresh PostgreSQL database when `TEST_DATABASE_URL` is set). Test names
//! start with the charter rule they defend (`r5_…`), as numbered in `docs/charter.md`.

mod api;
mod app;
mod browser;
mod calendar;
mod cli;
mod crash;
mod csv_export;
mod group_commit;
mod helpers;
mod hostile;
mod meetings;
mod movements;
mod outbox;
mod outbox_crash;
mod rights;
mod search;
mod servers;
mod servers_process;
mod sinks;
mod storage;
pub(crate) mod subscription;
mod tokens;
mod upgrade;
mod web;
mod web_decide;
mod web_map;
mod web_meetings;
mod web_movements;
mod webhooks;
