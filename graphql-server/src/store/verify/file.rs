//! `verify` on SQLite reads the database file itself, with rusqlite on a connection of its own
//! (ADR 0015), instead of through the pool. sqlx's SQLite driver copies every value of every row
//! (`sqlite3_value_dup`, one allocation each, freed on another thread) and hands each row from
//! its worker thread to the async task; over a million rows of twelve columns that was most of
//! the time `verify` took. Here one thread steps one statement over the whole chain and copies
//! each page of rows into a single buffer, while the page before is checked on the rayon pool
//! and walked in order.

use super::content::{self, AuditFields, DecisionFields, Link};
use super::{PAGE, Watch};
use crate::store::StoreError;
use crate::store::chain::{ChainName, Walker};
use governance_core::Instant;
use rayon::prelude::*;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::ops::Range;
use std::path::Path;

/// One value of a row, as SQLite gave it; text and blobs as ranges of the page's buffer.
/// (Real numbers are never stored in the columns read here.)
#[derive(Debug, Clone)]
enum Cell {
    Null,
    Int(i64),
    Text(Range<usize>),
    Blob(Range<usize>),
    Other,
}

/// The columns read of each chain, in the order the checks take them.
fn query(chain: ChainName) -> (&'static str, usize) {
    match chain {
        ChainName::Audit => (
            "SELECT revision, prev_hash, hash, payload, action, at FROM audit_entries \
             WHERE organization_id = ?1 AND revision BETWEEN ?2 AND ?3 ORDER BY revision",
            6,
        ),
        ChainName::Decisions => (
            "SELECT seq, prev_hash, hash, payload, id, unit_id, domain, title, statement, \
             rationale, decided_at, visibility FROM decisions \
             WHERE organization_id = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
            12,
        ),
    }
}

/// Up to `PAGE` rows of one chain: their text and blobs in one buffer, so that a page costs a
/// few allocations rather than one per value.
struct Page {
    chain: ChainName,
    width: usize,
    bytes: Vec<u8>,
    cells: Vec<Cell>,
}

impl Page {
    fn new(chain: ChainName, width: usize) -> Self {
        Self {
            chain,
            width,
            bytes: Vec::with_capacity(PAGE as usize * 1_024),
            cells: Vec::with_capacity(PAGE as usize * width),
        }
    }

    fn len(&self) -> usize {
        self.cells.len() / self.width
    }

    fn push(&mut self, value: ValueRef<'_>) {
        let mut keep = |b: &[u8]| {
            let from = self.bytes.len();
            self.bytes.extend_from_slice(b);
            from..self.bytes.len()
        };
        let cell = match value {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(n) => Cell::Int(n),
            ValueRef::Text(t) => Cell::Text(keep(t)),
            ValueRef::Blob(b) => Cell::Blob(keep(b)),
            ValueRef::Real(_) => Cell::Other,
        };
        self.cells.push(cell);
    }

    fn row(&self, i: usize) -> &[Cell] {
        &self.cells[i * self.width..(i + 1) * self.width]
    }

    /// A text value; a blob or a number where text belongs never reads as text.
    fn text(&self, cell: &Cell) -> Option<&str> {
        match cell {
            Cell::Text(r) => std::str::from_utf8(&self.bytes[r.clone()]).ok(),
            _ => None,
        }
    }

    /// A uuid, stored by sqlx as a blob of its 16 bytes.
    fn uuid(&self, cell: &Cell) -> Option<uuid::Uuid> {
        match cell {
            Cell::Blob(r) => uuid::Uuid::from_slice(&self.bytes[r.clone()]).ok(),
            _ => None,
        }
    }

    /// An instant, stored by sqlx as RFC 3339 text.
    fn instant(&self, cell: &Cell) -> Option<Instant> {
        self.text(cell)
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|d| d.with_timezone(&chrono::Utc))
    }

    /// Row `i`'s place in the chain. An unreadable position or hash reads as one that cannot
    /// link (position 0, empty hash), so the walk reports a break there.
    fn link(&self, i: usize) -> Link<'_> {
        let row = self.row(i);
        Link {
            position: match row[0] {
                Cell::Int(n) => n,
                _ => 0,
            },
            prev_hash: self.text(&row[1]),
            hash: self.text(&row[2]).unwrap_or(""),
        }
    }

    /// Whether row `i`'s content agrees with its hash and its columns.
    fn content_ok(&self, i: usize) -> bool {
        let row = self.row(i);
        // The previous hash is NULL or text: anything else never links, even where NULL would.
        let prev_readable = matches!(row[1], Cell::Null) || self.text(&row[1]).is_some();
        let link = self.link(i);
        let Some(payload) = self.text(&row[3]) else {
            return false;
        };
        let text = |c: usize| self.text(&row[c]);
        prev_readable
            && match self.chain {
                ChainName::Audit => text(4).is_some_and(|action| {
                    content::audit_ok(
                        &link,
                        &AuditFields {
                            action,
                            at: self.instant(&row[5]),
                            payload,
                        },
                    )
                }),
                ChainName::Decisions => {
                    let (Some(domain), Some(title), Some(statement), Some(rationale)) =
                        (text(6), text(7), text(8), text(9))
                    else {
                        return false;
                    };
                    text(11).is_some_and(|visibility| {
                        content::decision_ok(
                            &link,
                            &DecisionFields {
                                id: self.uuid(&row[4]),
                                unit_id: self.uuid(&row[5]),
                                domain,
                                title,
                                statement,
                                rationale,
                                decided_at: self.instant(&row[10]),
                                visibility,
                                payload,
                            },
                        )
                    })
                }
            }
    }
}

/// Reads positions `start..=last` of a chain from the file, one page at a time into `pages`,
/// until the last row or until the walk stops listening.
fn read(
    path: &Path,
    org: uuid::Uuid,
    chain: ChainName,
    (start, last): (i64, i64),
    pages: std::sync::mpsc::SyncSender<Result<Page, StoreError>>,
) {
    let run = || -> Result<(), StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A read in WAL mode waits only while another connection recovers the log.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let (sql, width) = query(chain);
        let mut statement = conn.prepare(sql)?;
        let mut rows = statement.query((&org.as_bytes()[..], start, last))?;
        let mut page = Page::new(chain, width);
        while let Some(row) = rows.next()? {
            for i in 0..width {
                page.push(row.get_ref(i)?);
            }
            if page.len() == PAGE as usize {
                let full = std::mem::replace(&mut page, Page::new(chain, width));
                if pages.send(Ok(full)).is_err() {
                    return Ok(());
                }
            }
        }
        if page.len() > 0 {
            pages.send(Ok(page)).ok();
        }
        Ok(())
    };
    if let Err(e) = run() {
        pages.send(Err(e)).ok();
    }
}

/// Walks positions `start..=last` of `chain` in the SQLite file at `path`: one thread reads,
/// each page is checked in parallel, the links are followed in order. Blocking: run it off the
/// async threads.
pub(super) fn walk(
    path: &Path,
    org: uuid::Uuid,
    chain: ChainName,
    walker: &mut Walker,
    range: (i64, i64),
    watch: &mut Watch,
) -> Result<(), StoreError> {
    std::thread::scope(|scope| {
        // One page waits while one is checked: reading stays one page ahead.
        let (sender, pages) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || read(path, org, chain, range, sender));
        for page in pages {
            let page = page?;
            let oks: Vec<bool> = (0..page.len())
                .into_par_iter()
                .map(|i| page.content_ok(i))
                .collect();
            for (i, ok) in oks.into_iter().enumerate() {
                if !watch.step(walker, page.link(i), ok) {
                    // Dropping the receiver stops the reader at its next page.
                    return Ok(());
                }
            }
        }
        Ok(())
    })
}
