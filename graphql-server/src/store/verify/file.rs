//! `verify` on SQLite reads the database file itself, with rusqlite on a connection of its own
//! (ADR 0015), instead of through the pool. sqlx's SQLite driver copies every value of every row
//! (`sqlite3_value_dup`, one allocation each, freed on another thread) and hands each row from
//! its worker thread to the async task; over a million rows of twelve columns that was most of
//! the time `verify` took. Here one thread steps one statement over the whole chain and copies
//! each page of rows into a single buffer, while the page before is checked on the rayon pool
//! and walked in order.

use super::content::{self, Cells};
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

/// Up to `PAGE` rows of one chain: their text and blobs in one buffer, so that a page costs a
/// few allocations rather than one per value.
struct Page {
    width: usize,
    bytes: Vec<u8>,
    cells: Vec<Cell>,
}

impl Page {
    fn new(width: usize) -> Self {
        Self {
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

    fn cell(&self, i: usize) -> &Cell {
        &self.cells[i]
    }
}

/// Row `i` of a page.
struct FileRow<'a> {
    page: &'a Page,
    first: usize,
}

impl<'a> FileRow<'a> {
    fn of(page: &'a Page, i: usize) -> Self {
        Self {
            page,
            first: i * page.width,
        }
    }

    fn cell(&self, i: usize) -> &Cell {
        self.page.cell(self.first + i)
    }

    fn bytes(&self, r: &Range<usize>) -> &[u8] {
        &self.page.bytes[r.clone()]
    }
}

impl Cells for FileRow<'_> {
    fn int(&self, i: usize) -> Option<i64> {
        match self.cell(i) {
            Cell::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// A text value; a blob or a number where text belongs never reads as text.
    fn text(&self, i: usize) -> Option<&str> {
        match self.cell(i) {
            Cell::Text(r) => std::str::from_utf8(self.bytes(r)).ok(),
            _ => None,
        }
    }

    fn is_null(&self, i: usize) -> bool {
        matches!(self.cell(i), Cell::Null)
    }

    /// A uuid, stored by sqlx as a blob of its 16 bytes.
    fn uuid(&self, i: usize) -> Option<uuid::Uuid> {
        match self.cell(i) {
            Cell::Blob(r) => uuid::Uuid::from_slice(self.bytes(r)).ok(),
            _ => None,
        }
    }

    /// An instant, stored by sqlx as RFC 3339 text.
    fn instant(&self, i: usize) -> Option<Instant> {
        self.text(i)
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|d| d.with_timezone(&chrono::Utc))
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
        let mut statement = conn.prepare(&content::select(chain, '?'))?;
        let width = statement.column_count();
        let mut rows = statement.query((&org.as_bytes()[..], start, last))?;
        let mut page = Page::new(width);
        while let Some(row) = rows.next()? {
            for i in 0..width {
                page.push(row.get_ref(i)?);
            }
            if page.len() == PAGE as usize {
                let full = std::mem::replace(&mut page, Page::new(width));
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
                .map(|i| content::row_ok(chain, &FileRow::of(&page, i)))
                .collect();
            for (i, ok) in oks.into_iter().enumerate() {
                let row = FileRow::of(&page, i);
                if !watch.step(walker, content::link(&row), ok) {
                    // Dropping the receiver stops the reader at its next page.
                    return Ok(());
                }
            }
        }
        Ok(())
    })
}
