//! The frameworks generation (the counter every framework import bumps in its transaction) and
//! the people generation (bumped by every write to people or assessments), read together and
//! cheaply by looking at the database files first.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use super::SqliteStore;
use crate::Result;

/// The two counters, as read together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Generations {
    pub(super) frameworks: i64,
    pub(super) people: i64,
}

/// What a store remembers of its generations between calls. Asked on nearly every request, so
/// the answer within [`GENERATION_GLANCE`] of the last look is kept in atomics: a mutex there was
/// taken by both cores on every request and made them wait on each other.
#[derive(Debug)]
pub(crate) struct GenerationMemo {
    seen: Mutex<Option<SeenGeneration>>,
    /// Where the nanosecond clock below starts.
    base: Instant,
    /// Until when (nanoseconds after `base`) the counters below stand without a look; 0 for not
    /// at all.
    glance_until: AtomicU64,
    frameworks: AtomicI64,
    people: AtomicI64,
}

impl Default for GenerationMemo {
    fn default() -> Self {
        GenerationMemo {
            seen: Mutex::default(),
            base: Instant::now(),
            glance_until: AtomicU64::new(0),
            frameworks: AtomicI64::new(0),
            people: AtomicI64::new(0),
        }
    }
}

impl GenerationMemo {
    /// Forgets what was read: this store has just committed a change, which it must see at once.
    pub(crate) fn forget(&self) {
        self.glance_until.store(0, Ordering::Release);
        if let Ok(mut seen) = self.seen.lock() {
            *seen = None;
        }
    }

    fn nanos(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.base).as_nanos()).unwrap_or(u64::MAX)
    }

    /// The counters, if the last look was within the glance.
    fn glance(&self, now: Instant) -> Option<Generations> {
        (self.nanos(now) < self.glance_until.load(Ordering::Acquire)).then(|| Generations {
            frameworks: self.frameworks.load(Ordering::Relaxed),
            people: self.people.load(Ordering::Relaxed),
        })
    }

    /// Notes an answer looked at `now`, standing for the glance after it.
    fn looked(&self, generation: Generations, now: Instant) {
        self.frameworks
            .store(generation.frameworks, Ordering::Relaxed);
        self.people.store(generation.people, Ordering::Relaxed);
        let until = self.nanos(now + GENERATION_GLANCE);
        self.glance_until.store(until, Ordering::Release);
    }
}

/// The generations as last read, and the state of the files when they were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SeenGeneration {
    stamp: FileStamp,
    generation: Generations,
    /// When the generation was read from the database.
    at: Instant,
    /// When the files were last looked at.
    looked: Instant,
}

/// What changes whenever any process commits to the database: the size and modification time of
/// the database and its write-ahead log, and the log's header (whose salts change each time the
/// log restarts from the beginning).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    db: Option<(u64, SystemTime)>,
    wal: Option<(u64, SystemTime)>,
    wal_header: [u8; 32],
}

impl FileStamp {
    fn read(path: &Path) -> FileStamp {
        let meta = |p: &Path| {
            std::fs::metadata(p)
                .ok()
                .and_then(|m| Some((m.len(), m.modified().ok()?)))
        };
        let mut wal_path = path.as_os_str().to_owned();
        wal_path.push("-wal");
        let wal_path = PathBuf::from(wal_path);
        let mut wal_header = [0u8; 32];
        if let Ok(mut file) = std::fs::File::open(&wal_path) {
            let _ = file.read(&mut wal_header);
        }
        FileStamp {
            db: meta(path),
            wal: meta(&wal_path),
            wal_header,
        }
    }
}

/// How long an answer stands without even looking at the files.
const GENERATION_GLANCE: Duration = Duration::from_millis(1);

/// However unchanged the files look, the generation is read again after this long.
const GENERATION_RECHECK: Duration = Duration::from_secs(1);

/// Reading the counter is a database round trip; on a busy server that costs more than the
/// request it guards. So the files are looked at first (a few system calls): while nothing
/// has been committed since the last read, and that read is recent, the last value stands.
pub(super) async fn generations(store: &SqliteStore) -> Result<Generations> {
    // A read that starts within a millisecond of the last look is concurrent with anything
    // committed in that millisecond, so the last answer is as good as a fresh one.
    let memo = &store.generation;
    if let Some(generation) = memo.glance(Instant::now()) {
        return Ok(generation);
    }
    let stamp = store.path.as_deref().map(FileStamp::read);
    if let Some(stamp) = &stamp
        && let Ok(mut seen) = memo.seen.lock()
        && let Some(seen) = seen.as_mut()
        && seen.stamp == *stamp
        && seen.at.elapsed() < GENERATION_RECHECK
    {
        let now = Instant::now();
        seen.looked = now;
        memo.looked(seen.generation, now);
        return Ok(seen.generation);
    }
    // The stamp is taken before the read: a commit in between changes the files again, so
    // the next call reads afresh.
    let (frameworks, people): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT value FROM meta WHERE key = 'frameworks_generation'), \
         (SELECT value FROM meta WHERE key = 'people_generation')",
    )
    .fetch_one(&store.pool)
    .await?;
    let generation = Generations { frameworks, people };
    if let (Some(stamp), Ok(mut seen)) = (stamp, memo.seen.lock()) {
        let now = Instant::now();
        *seen = Some(SeenGeneration {
            stamp,
            generation,
            at: now,
            looked: now,
        });
        memo.looked(generation, now);
    }
    Ok(generation)
}

#[cfg(test)]
mod stamp_tests {
    use crate::Store;

    #[tokio::test]
    async fn an_unchanged_database_is_not_read_again_for_its_generation() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = super::SqliteStore::open(&dir.path().join("g.db"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let seen =
            |store: &super::SqliteStore| store.generation.seen.lock().ok().and_then(|g| g.clone());
        store
            .frameworks_generation()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let first = seen(&store).unwrap_or_else(|| panic!("a file store remembers what it read"));
        // Past the glance window, so the files are looked at (and found unchanged).
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        store
            .frameworks_generation()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let second = seen(&store).unwrap_or_else(|| panic!("still remembered"));
        assert!(
            second.looked > first.looked,
            "the files were looked at again"
        );
        assert_eq!(
            first.at, second.at,
            "the second call must answer without reading the database"
        );
    }
}
