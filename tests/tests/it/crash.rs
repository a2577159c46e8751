//! The crash test: a writer process records decisions on SQLite from 8 concurrent writers (so
//! that they are committed in batches) and is killed with SIGKILL at
//! random moments. After each kill the database is reopened: every decision whose write was
//! acknowledged is there, and both hash chains verify. 50 kills by default; set `CRASH_KILLS`
//! for a longer run (the 1 000-kill result is in `docs/reliability.md`).

use crate::helpers::TestDb;
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A small deterministic generator for the kill delays, seeded from the clock and printed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_decisions_survive_sigkill_and_the_chain_verifies() {
    let kills: usize = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("crash test: {kills} kills, seed {seed}");
    let mut rng = XorShift(seed);
    let db = TestDb::sqlite();
    let mut acked: HashSet<uuid::Uuid> = HashSet::new();
    let mut killed_mid_write = 0usize;
    let started = Instant::now();
    for round in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
            .arg(&db.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the writer");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<uuid::Uuid>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let mut words = line.split_whitespace();
                if words.next() == Some("ack")
                    && let Some(id) = words.next().and_then(|w| uuid::Uuid::parse_str(w).ok())
                {
                    let _ = tx.send(id);
                }
            }
        });
        // Let it write for a while: wait for the first acknowledgement (the first round also
        // founds the movement), then a random 0–60 ms.
        let first = rx.recv_timeout(Duration::from_secs(60));
        let Ok(first) = first else {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "round {round}: the writer acknowledged nothing: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        acked.insert(first);
        std::thread::sleep(Duration::from_micros(rng.next() % 60_000));
        child.kill().expect("SIGKILL the writer");
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "the writer was killed, it cannot have exited cleanly"
        );
        reader.join().unwrap();
        let before = acked.len();
        acked.extend(rx.try_iter());
        if acked.len() > before {
            killed_mid_write += 1;
        }
        // Reopen, as a restarted server would, and check.
        let store = db.open().await;
        let org = store.organizations().await.unwrap()[0].id;
        let state = store
            .read(org, None)
            .await
            .expect("the log replays after a kill");
        for id in &acked {
            assert!(
                state
                    .movement
                    .decision(governance_core::DecisionId::from_uuid(*id))
                    .is_some(),
                "round {round}: acknowledged decision {id} is lost"
            );
        }
        drop(state);
        let v = store.verify(org, None).await.unwrap();
        assert!(v.is_intact(), "round {round}: {:?}", v.first_break);
        store.connection().clone().close().await.ok();
    }
    println!(
        "crash test: {kills} kills in {:?}, {} acknowledged decisions all present, chains intact ({killed_mid_write} rounds acknowledged more than one write)",
        started.elapsed(),
        acked.len()
    );
}
