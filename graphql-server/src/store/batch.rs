//! Group commit: the writes of one movement queue, and one task commits them in batches. The
//! core judges the queued events one after the other against the state each leaves; the
//! accepted ones are stored in one transaction, and every writer is answered only once it has
//! committed. A durable commit waits for the disk, so sharing it is what lets many writers
//! through: while one batch commits, the next one queues.
//!
//! An event the core refuses, or whose input its builder rejects, changes nothing and does not
//! fail the others. A failure while an event is stored (the database refuses a statement, or
//! the log cannot keep the event exactly, a bug of the edge) rolls the transaction back and
//! fails that write alone: the state in memory is rebuilt from what was committed, and the
//! batch's other events go back to the front of the queue, in order, to be judged again
//! against it. Only a failed commit, after which the database may or may not hold the batch,
//! fails every write in it.

use super::notice::Notice;
use super::resident::Resident;
use super::{OrgState, Receipt, Store, StoreError, catch_up, judge, outbox, store, watch};
use governance_core::{Event, MemberId, Movement, OrganizationId};
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::oneshot;

/// How many batches committed, and how many writes they held: what group commit achieved.
#[derive(Debug, Default)]
pub(crate) struct CommitCount {
    transactions: std::sync::atomic::AtomicU64,
    writes: std::sync::atomic::AtomicU64,
}

/// The most events one transaction holds: a bound on how long readers wait for a batch, and
/// on what one failure takes down with it.
pub const MAX_BATCH: usize = 256;

/// Turns the state, as it stands after the events judged before in the batch, into the event
/// to judge.
pub(super) type Build = Box<dyn FnOnce(&Movement) -> Result<Event, StoreError> + Send>;

/// One queued write and where its answer goes.
pub(super) struct Job {
    pub(super) build: Build,
    pub(super) actor: Option<MemberId>,
    pub(super) reason: Option<String>,
    pub(super) reply: oneshot::Sender<Result<Receipt, StoreError>>,
}

/// A movement's queue of writes, and whether a task is committing them.
#[derive(Default)]
pub(crate) struct WriteQueue(Mutex<Queue>);

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    committing: bool,
}

impl std::fmt::Debug for WriteQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = self.lock();
        f.debug_struct("WriteQueue")
            .field("queued", &q.jobs.len())
            .field("committing", &q.committing)
            .finish()
    }
}

impl WriteQueue {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // Every change under this lock leaves the queue whole.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a job; true when no task is committing, and the caller must start one.
    fn push(&self, job: Job) -> bool {
        let mut q = self.lock();
        q.jobs.push_back(job);
        !std::mem::replace(&mut q.committing, true)
    }

    /// The next batch, oldest first. Empty when nothing is queued: the committing task ends,
    /// and the next write starts another one (decided under the same lock as `push`).
    fn take(&self) -> Vec<Job> {
        let mut q = self.lock();
        let n = q.jobs.len().min(MAX_BATCH);
        if n == 0 {
            q.committing = false;
        }
        q.jobs.drain(..n).collect()
    }

    /// Puts back, in front and in order, jobs a failed batch never judged.
    fn requeue(&self, jobs: Vec<Job>) {
        let mut q = self.lock();
        for job in jobs.into_iter().rev() {
            q.jobs.push_front(job);
        }
    }
}

/// Held by the committing task: if it panics, the queue is left for a new task to take, and
/// the writers waiting in it are told (their answer channel closes).
struct Committing(Arc<Resident>);

impl Drop for Committing {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut q = self.0.writes.lock();
            q.committing = false;
            q.jobs.clear();
        }
    }
}

/// What a judged job will be answered once the batch's fate is known.
enum Answer {
    /// Accepted, stored in the transaction: acknowledged only if it commits, judged again if
    /// another write of the batch fails before the commit.
    Stored(Receipt, Option<Notice>, Retry),
    /// Refused or rejected. `after_accepted`: judged against events of this batch, so the
    /// verdict stands only if they commit; `retry` is the refused event, to judge again if they
    /// do not (a builder's rejection has none: its builder is spent).
    Refused {
        error: StoreError,
        after_accepted: bool,
        retry: Option<Retry>,
    },
}

/// A judged event kept to be judged again: the event its builder gave, before the core
/// completed it (a mandate it found, say), so that what its writer asked is judged again,
/// against the state a failed batch did not change.
struct Retry {
    event: Event,
    actor: Option<MemberId>,
    reason: Option<String>,
}

impl Retry {
    fn into_job(self, reply: oneshot::Sender<Result<Receipt, StoreError>>) -> Job {
        let event = self.event;
        Job {
            build: Box::new(move |_| Ok(event)),
            actor: self.actor,
            reason: self.reason,
            reply,
        }
    }
}

impl Store {
    /// The transactions group commit has committed since the store opened, and the writes they
    /// held (for the tests and the benchmarks).
    pub fn commit_count(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.commits.transactions.load(Relaxed),
            self.commits.writes.load(Relaxed),
        )
    }

    /// How many writes wait in the movement's queue, not yet taken into a batch (for the tests
    /// and the benchmarks).
    pub fn queued_writes(&self, org: OrganizationId) -> usize {
        self.states
            .find(org)
            .map_or(0, |r| r.writes.lock().jobs.len())
    }

    /// Queues a write and waits for its answer, starting the committing task if none runs.
    pub(super) async fn write_queued(
        &self,
        org: OrganizationId,
        actor: Option<MemberId>,
        reason: Option<String>,
        build: Build,
    ) -> Result<Receipt, StoreError> {
        let resident = self.resident(org).await?;
        let (reply, answer) = oneshot::channel();
        let job = Job {
            build,
            actor,
            reason,
            reply,
        };
        if resident.writes.push(job) {
            // A task of its own: a request dropped by its timeout (or a client gone) cannot stop
            // a batch between the judgement in memory and the commit.
            tokio::spawn(self.clone().commit_queued(org, resident));
        }
        answer
            .await
            .map_err(|_| StoreError::Task("the committing task stopped".into()))?
    }

    /// Commits the movement's queued writes, batch after batch, until none is left.
    async fn commit_queued(self, org: OrganizationId, resident: Arc<Resident>) {
        let _committing = Committing(resident.clone());
        loop {
            let jobs = resident.writes.take();
            if jobs.is_empty() {
                return;
            }
            self.commit_batch(org, &resident, jobs).await;
        }
    }

    /// Judges, stores and commits one batch, then answers its writers.
    async fn commit_batch(&self, org: OrganizationId, resident: &Resident, jobs: Vec<Job>) {
        let mut state = resident.state.write().await;
        // Under the lock, make sure no other process wrote since we last looked.
        let txn = match self.begin_locked(org).await {
            Ok(txn) => txn,
            Err(e) => return fail_all(jobs, e.into()),
        };
        if let Err(e) = catch_up(&txn, org, &mut state).await {
            return fail_all(jobs, e);
        }
        let mut answers: Vec<(oneshot::Sender<_>, Answer)> = Vec::with_capacity(jobs.len());
        let mut accepted = 0usize;
        let mut failure: Option<(oneshot::Sender<_>, StoreError)> = None;
        // The movement's webhooks, read by the first event of the batch that calls for them.
        let mut hooks = None;
        let mut jobs = jobs.into_iter();
        for job in jobs.by_ref() {
            let Job {
                build,
                actor,
                reason,
                reply,
            } = job;
            // A builder's rejection and the core's refusal change nothing: this writer's alone.
            // So does a builder that panics (it only reads the state); the batch goes on.
            let built = catch_unwind(AssertUnwindSafe(|| build(&state.movement)))
                .unwrap_or_else(|_| Err(StoreError::Task("the write's builder panicked".into())));
            // The event as its writer asked it (before the core completes it), to be judged
            // again should the batch fail before its commit.
            let mut asked = None;
            let judged = match built {
                Ok(event) => {
                    asked = Some(event.clone());
                    match catch_unwind(AssertUnwindSafe(|| judge(&mut state, event))) {
                        Ok(judged) => judged,
                        // The core stopped halfway through changing the state: nothing of the
                        // batch can be trusted, and memory is rebuilt below.
                        Err(_) => {
                            failure = Some((reply, StoreError::Task("the core panicked".into())));
                            break;
                        }
                    }
                }
                Err(error) => Err(error),
            };
            let recorded = match judged {
                Ok(recorded) => recorded,
                Err(error) => {
                    let after_accepted = accepted > 0;
                    // A refusal judged against no accepted event of the batch stands as it is.
                    let retry = asked.filter(|_| after_accepted).map(|event| Retry {
                        event,
                        actor,
                        reason,
                    });
                    answers.push((
                        reply,
                        Answer::Refused {
                            error,
                            after_accepted,
                            retry,
                        },
                    ));
                    continue;
                }
            };
            let retry = Retry {
                event: asked.expect("an accepted event was built"),
                actor,
                reason: reason.clone(),
            };
            // From the judgement on, memory is ahead of the database until the commit.
            let notice = Notice::of(&recorded.event);
            let caused = crate::outbox::Caused::of(&state.movement, &recorded.event);
            let stored = async {
                let receipt = store(&txn, &mut state, recorded, actor, reason).await?;
                // What the event causes to be sent commits with it, or not at all.
                outbox::enqueue(
                    &txn,
                    org,
                    &state.movement,
                    caused,
                    self.outbox.clone(),
                    &mut hooks,
                )
                .await?;
                Ok::<_, StoreError>(receipt)
            }
            .await;
            match stored {
                Ok(receipt) => {
                    accepted += 1;
                    answers.push((reply, Answer::Stored(receipt, notice, retry)));
                }
                Err(error) => {
                    failure = Some((reply, error));
                    break;
                }
            }
        }
        // A failure leaves the rest unjudged: they go back to the queue for the next batch,
        // behind the events judged before the failure.
        let unjudged: Vec<Job> = jobs.collect();
        let committed = match failure {
            // Nothing was committed: the writes judged before the culprit are innocent.
            Some(f) => Err((f, true)),
            None if accepted == 0 => Ok(()),
            None => async {
                watch::notify(&txn, org, state.revision).await?;
                txn.commit().await?;
                Ok::<_, StoreError>(())
            }
            .await
            .map_err(|e| {
                // The commit's error goes to the first writer it acknowledges nothing to.
                let first = answers
                    .iter()
                    .position(|(_, a)| matches!(a, Answer::Stored(..)))
                    .expect("a batch with an accepted write");
                // The commit's outcome is unknown to us: judging its writes again could store
                // them twice.
                ((answers.remove(first).0, e), false)
            }),
        };
        match committed {
            Ok(()) => {
                if accepted > 0 {
                    use std::sync::atomic::Ordering::Relaxed;
                    self.commits.transactions.fetch_add(1, Relaxed);
                    self.commits.writes.fetch_add(accepted as u64, Relaxed);
                }
                debug_assert!(unjudged.is_empty(), "only a failure leaves jobs unjudged");
                for (reply, answer) in answers {
                    let answer = match answer {
                        Answer::Stored(receipt, notice, _) => {
                            state.notices.announce(receipt.revision, notice);
                            Ok(receipt)
                        }
                        Answer::Refused { error, .. } => Err(error),
                    };
                    let _ = reply.send(answer);
                }
            }
            Err(((culprit, error), innocent_retried)) => {
                let shared = Arc::new(error.to_string());
                let mut again = Vec::new();
                for (reply, answer) in answers {
                    let answer = match answer {
                        Answer::Refused {
                            error,
                            after_accepted: false,
                            ..
                        } => error,
                        Answer::Stored(_, _, retry)
                        | Answer::Refused {
                            retry: Some(retry), ..
                        } if innocent_retried => {
                            again.push(retry.into_job(reply));
                            continue;
                        }
                        _ => StoreError::Batch(shared.clone()),
                    };
                    let _ = reply.send(Err(answer));
                }
                let _ = culprit.send(Err(error));
                again.extend(unjudged);
                if !again.is_empty() {
                    resident.writes.requeue(again);
                }
                // Memory is ahead of the database: rebuild it from what was committed, keeping
                // the channel and what it announced already.
                let mut fresh = OrgState::empty(state.movement.organization().clone());
                fresh.notices = state.notices.clone();
                if let Err(e) = catch_up(&self.db, org, &mut fresh).await {
                    // What was read is a committed prefix: the next read catches up the rest.
                    tracing::error!(%e, "cannot rebuild a movement's state after a failed write");
                }
                *state = fresh;
            }
        }
        resident.weigh(state.revision);
    }
}

/// Answers every job of a batch that could not begin with the same failure.
fn fail_all(jobs: Vec<Job>, error: StoreError) {
    let shared = Arc::new(error.to_string());
    let mut jobs = jobs.into_iter();
    if let Some(first) = jobs.next() {
        let _ = first.reply.send(Err(error));
    }
    for job in jobs {
        let _ = job.reply.send(Err(StoreError::Batch(shared.clone())));
    }
}
