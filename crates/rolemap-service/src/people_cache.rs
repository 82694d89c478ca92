//! People, their assessments and their gaps kept in memory while neither people nor frameworks
//! change.
//!
//! A gap read every person to resolve the one named (with a query per person for their role),
//! the person again, their whole assessment history and, where a mapping could stand in for an
//! unassessed skill, every mapping: on the demo team that held a gap to about 1,000 requests a
//! second, and it grew with the history. Everything here is keyed by the store's frameworks and
//! people generations, counters that every framework import and every write to people or
//! assessments moves on in its transaction, in any process; a key that no longer matches empties
//! the cache before anything is answered from it, so nothing stale is served.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use rolemap_core::{Assessment, Mapping, Person, PersonId, RoleId};
use rolemap_store::NameEntry;

use crate::{Result, Service, TeamPlans, dto};

/// Past this many people's assessments, or gaps, kept for one generation, that part restarts.
const MAX_KEPT: usize = 4096;

/// The frameworks and people generations the cache holds answers for.
type Key = (i64, i64);

/// A gap asked for: the person, the target role (`None`: their own) and the grade as typed.
type GapKey = (PersonId, Option<RoleId>, Option<String>);

/// A team matrix: the manager, and the role and grade asked for as given (trimmed).
pub(crate) type TeamKey = (PersonId, Option<String>, Option<String>);

/// A team's reviews, goals and cycle: the manager and the day they are seen on.
pub(crate) type PlansKey = (PersonId, String);

#[derive(Debug, Default)]
pub(crate) struct PeopleCache {
    inner: RwLock<Kept>,
    /// Held while a gap missing from the cache is worked out: requests that arrive for it
    /// meanwhile wait and take the answer kept, rather than each working it out again (64
    /// connections asking at once for one cold gap of 500 assessments would each read and
    /// analyse them).
    filling: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct Kept {
    key: Option<Key>,
    people: Option<Arc<PeopleIndex>>,
    mappings: Option<Arc<Vec<Mapping>>>,
    assessments: HashMap<PersonId, Arc<Vec<Assessment>>>,
    gaps: HashMap<GapKey, Arc<[u8]>>,
    teams: HashMap<TeamKey, Arc<rolemap_core::matrix::TeamMatrix>>,
    plans: HashMap<PlansKey, Arc<TeamPlans>>,
}

/// Everyone stored, in name order, with what resolves a name to them.
#[derive(Debug)]
pub(crate) struct PeopleIndex {
    pub(crate) people: Vec<Person>,
    by_id: HashMap<PersonId, usize>,
    pub(crate) names: Vec<NameEntry<PersonId>>,
}

impl PeopleIndex {
    fn new(people: Vec<Person>) -> PeopleIndex {
        let by_id = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let names = people
            .iter()
            .map(|p| NameEntry {
                id: p.id,
                framework_key: "person".to_owned(),
                key: p.key.clone(),
                name: p.name.clone(),
                preferred: true,
            })
            .collect();
        PeopleIndex {
            people,
            by_id,
            names,
        }
    }

    pub(crate) fn get(&self, id: PersonId) -> Option<&Person> {
        self.by_id.get(&id).map(|&i| &self.people[i])
    }
}

impl PeopleCache {
    fn read<T>(&self, key: Key, get: impl FnOnce(&Kept) -> Option<T>) -> Option<T> {
        let kept = self.inner.read().ok()?;
        (kept.key == Some(key)).then(|| get(&kept)).flatten()
    }

    fn keep(&self, key: Key, set: impl FnOnce(&mut Kept)) {
        if let Ok(mut kept) = self.inner.write() {
            // An answer worked out under older generations than those kept is not kept: a
            // slow request must not throw away what newer ones found.
            if let Some((frameworks, people)) = kept.key
                && (key.0 < frameworks || key.1 < people)
            {
                return;
            }
            if kept.key != Some(key) {
                *kept = Kept {
                    key: Some(key),
                    ..Kept::default()
                };
            }
            set(&mut kept);
        }
    }
}

/// Past this many managers' pages kept for one generation, that part restarts.
const MAX_PAGES_KEPT: usize = 64;

/// Keeps what one manager's page needs: a few managers' pages are what is asked for again and
/// again, so a full map starts over rather than tracking which was read last.
fn insert_page<K: std::hash::Hash + Eq, V>(kept: &mut HashMap<K, V>, key: K, value: V) {
    if kept.len() >= MAX_PAGES_KEPT {
        kept.clear();
    }
    kept.insert(key, value);
}

impl Service {
    /// The generations what is kept here is valid for, read before the data it guards, so a
    /// write in between only makes the next call read again.
    async fn people_key(&self) -> Result<Key> {
        Ok((
            self.store.frameworks_generation().await?,
            self.store.people_generation().await?,
        ))
    }

    /// Everyone stored, read once per generation.
    pub(crate) async fn people_index(&self) -> Result<Arc<PeopleIndex>> {
        let key = self.people_key().await?;
        if let Some(index) = self.people_cache.read(key, |k| k.people.clone()) {
            return Ok(index);
        }
        let index = Arc::new(PeopleIndex::new(self.store.people().await?));
        self.people_cache
            .keep(key, |k| k.people = Some(Arc::clone(&index)));
        Ok(index)
    }

    /// A person's assessments, oldest first, with their labels told apart, read once per
    /// generation and shared.
    pub(crate) async fn assessments_shared(
        &self,
        person: PersonId,
    ) -> Result<Arc<Vec<Assessment>>> {
        let key = self.people_key().await?;
        if let Some(found) = self
            .people_cache
            .read(key, |k| k.assessments.get(&person).cloned())
        {
            return Ok(found);
        }
        let mut assessments = self.store.assessments(person).await?;
        crate::labels::relabel_assessments(&self.qualifiers().await?, &mut assessments);
        let assessments = Arc::new(assessments);
        self.people_cache.keep(key, |k| {
            if k.assessments.len() >= MAX_KEPT {
                k.assessments.clear();
            }
            k.assessments.insert(person, Arc::clone(&assessments));
        });
        Ok(assessments)
    }

    /// Every accepted mapping, read once per generation (an import of mappings moves the
    /// frameworks generation on).
    pub(crate) async fn mappings_shared(&self) -> Result<Arc<Vec<Mapping>>> {
        let key = self.people_key().await?;
        if let Some(found) = self.people_cache.read(key, |k| k.mappings.clone()) {
            return Ok(found);
        }
        let mappings = Arc::new(self.store.mappings().await?);
        self.people_cache
            .keep(key, |k| k.mappings = Some(Arc::clone(&mappings)));
        Ok(mappings)
    }

    /// Reads what every gap needs (everyone stored, the accepted mappings, what tells shared
    /// skill labels apart) for the current generations, if not yet kept, so that the first gaps
    /// asked for after a start or an import do not each wait for them.
    pub async fn warm_people(&self) -> Result<()> {
        self.people_index().await?;
        self.mappings_shared().await?;
        self.qualifiers().await?;
        Ok(())
    }

    /// What `get` finds kept for the current generations, with those generations, to keep
    /// what is worked out when nothing was found.
    async fn kept_now<T>(&self, get: impl FnOnce(&Kept) -> Option<T>) -> Result<(Key, Option<T>)> {
        let key = self.people_key().await?;
        Ok((key, self.people_cache.read(key, get)))
    }

    /// A team matrix kept for the current generations, if worked out already.
    pub(crate) async fn kept_team(
        &self,
        team: &TeamKey,
    ) -> Result<(Key, Option<Arc<rolemap_core::matrix::TeamMatrix>>)> {
        self.kept_now(|k| k.teams.get(team).cloned()).await
    }

    /// Keeps a team matrix worked out under the generations `key`.
    pub(crate) fn keep_team(
        &self,
        key: Key,
        team: TeamKey,
        matrix: Arc<rolemap_core::matrix::TeamMatrix>,
    ) {
        self.people_cache
            .keep(key, |k| insert_page(&mut k.teams, team, matrix));
    }

    /// A team's reviews, goals and cycle kept for the current generations, if worked out
    /// already.
    pub(crate) async fn kept_plans(
        &self,
        plans: &PlansKey,
    ) -> Result<(Key, Option<Arc<TeamPlans>>)> {
        self.kept_now(|k| k.plans.get(plans).cloned()).await
    }

    /// Keeps a team's reviews, goals and cycle worked out under the generations `key`.
    pub(crate) fn keep_plans(&self, key: Key, plans: PlansKey, found: Arc<TeamPlans>) {
        self.people_cache
            .keep(key, |k| insert_page(&mut k.plans, plans, found));
    }

    /// A person's gap to a role as the API's JSON (`dto::GapDto`), worked out once per
    /// generation for each person, target and grade asked for.
    pub async fn gap_json(
        &self,
        person: &str,
        target: Option<&str>,
        grade: Option<&str>,
    ) -> Result<Arc<[u8]>> {
        let key = self.people_key().await?;
        let id = self.resolve_person(person).await?;
        let target_id = match target {
            Some(target) => Some(self.resolve_role(target, None).await?),
            None => None,
        };
        let gap_key = (id, target_id, grade.map(|g| g.trim().to_owned()));
        if let Some(json) = self
            .people_cache
            .read(key, |k| k.gaps.get(&gap_key).cloned())
        {
            return Ok(json);
        }
        let _filling = self.people_cache.filling.lock().await;
        // Worked out by the request this one waited for?
        let key = self.people_key().await?;
        if let Some(json) = self
            .people_cache
            .read(key, |k| k.gaps.get(&gap_key).cloned())
        {
            return Ok(json);
        }
        let target = target_id.map(|id| id.0.to_string());
        let report = self
            .gap(&id.0.to_string(), target.as_deref(), grade)
            .await?;
        // Serializing plain owned data cannot fail; an empty body would show if it ever did.
        let json: Arc<[u8]> = serde_json::to_vec(&dto::GapDto::from(&report))
            .unwrap_or_default()
            .into();
        self.people_cache.keep(key, |k| {
            if k.gaps.len() >= MAX_KEPT {
                k.gaps.clear();
            }
            k.gaps.insert(gap_key, Arc::clone(&json));
        });
        Ok(json)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use rolemap_core::Source;
    use rolemap_store::SqliteStore;

    use super::*;

    const NOW: &str = "2026-01-01T00:00:00Z";
    /// After the demo team's own assessments, so that a new one is the latest.
    const LATER: &str = "2026-06-01T00:00:00Z";

    /// The first skill daniel's own role requires, as `framework:key`-free id text.
    async fn first_required_skill(service: &Service) -> String {
        let report = service.gap("daniel-mensah", None, None).await.unwrap();
        report.lines[0].skill.id.0.to_string()
    }

    #[tokio::test]
    async fn a_kept_gap_is_worked_out_again_once_an_assessment_is_added() {
        let service = Service::new(Arc::new(SqliteStore::in_memory().await.unwrap()));
        service
            .init(true, &rolemap_store::Actor::cli(), NOW)
            .await
            .unwrap();
        let before = service.gap_json("daniel-mensah", None, None).await.unwrap();
        let again = service.gap_json("daniel-mensah", None, None).await.unwrap();
        assert!(
            Arc::ptr_eq(&before, &again),
            "the second answer is the kept one"
        );

        let skill = first_required_skill(&service).await;
        service
            .assess(
                "daniel-mensah",
                &skill,
                "none",
                Source::Evidence,
                "",
                &rolemap_store::Actor::cli(),
                LATER,
            )
            .await
            .unwrap();
        let after = service.gap_json("daniel-mensah", None, None).await.unwrap();
        assert_ne!(before, after, "the new assessment counts");
        let report = service.gap("daniel-mensah", None, None).await.unwrap();
        let expected = serde_json::to_vec(&dto::GapDto::from(&report)).unwrap();
        assert_eq!(&*after, &expected[..], "the JSON is the report's");
    }

    #[tokio::test]
    async fn a_kept_team_matrix_is_worked_out_again_once_an_assessment_is_added() {
        let service = Service::new(Arc::new(SqliteStore::in_memory().await.unwrap()));
        service
            .init(true, &rolemap_store::Actor::cli(), NOW)
            .await
            .unwrap();
        let before = service
            .team_matrix("aisha-rahman", None, None)
            .await
            .unwrap();
        let again = service
            .team_matrix("aisha-rahman", None, None)
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&before, &again), "the second is the kept one");
        let other_grade = service
            .team_matrix("aisha-rahman", None, Some("SEO"))
            .await
            .unwrap();
        assert!(!Arc::ptr_eq(&before, &other_grade), "kept per grade asked");

        let skill = first_required_skill(&service).await;
        service
            .assess(
                "daniel-mensah",
                &skill,
                "none",
                Source::Evidence,
                "",
                &rolemap_store::Actor::cli(),
                LATER,
            )
            .await
            .unwrap();
        let after = service
            .team_matrix("aisha-rahman", None, None)
            .await
            .unwrap();
        assert!(!Arc::ptr_eq(&before, &after), "worked out again");
        assert_ne!(before.rows, after.rows, "the new assessment counts");
    }

    #[tokio::test]
    async fn a_cold_gap_asked_for_at_once_is_worked_out_once() {
        let service = Service::new(Arc::new(SqliteStore::in_memory().await.unwrap()));
        service
            .init(true, &rolemap_store::Actor::cli(), NOW)
            .await
            .unwrap();
        service.warm_people().await.unwrap();
        let ask = || service.gap_json("daniel-mensah", None, None);
        let (a, b, c, d) = tokio::join!(ask(), ask(), ask(), ask());
        let (a, b, c, d) = (a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap());
        assert!(
            Arc::ptr_eq(&a, &b) && Arc::ptr_eq(&a, &c) && Arc::ptr_eq(&a, &d),
            "the requests that waited take the answer the first worked out"
        );
    }

    #[tokio::test]
    async fn another_process_adding_an_assessment_is_seen_by_the_next_gap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("people.db");
        let server = Service::new(Arc::new(SqliteStore::open(&path).await.unwrap()));
        server
            .init(true, &rolemap_store::Actor::cli(), NOW)
            .await
            .unwrap();
        let cli = Service::new(Arc::new(SqliteStore::open(&path).await.unwrap()));
        let before = server.gap_json("daniel-mensah", None, None).await.unwrap();
        let people = server.people().await.unwrap().len();

        let skill = first_required_skill(&cli).await;
        cli.assess(
            "daniel-mensah",
            &skill,
            "none",
            Source::Evidence,
            "",
            &rolemap_store::Actor::cli(),
            LATER,
        )
        .await
        .unwrap();
        let input = crate::PersonInput {
            name: "Zoe Newcomer".to_owned(),
            ..crate::PersonInput::default()
        };
        cli.add_person(&input, &rolemap_store::Actor::cli(), NOW)
            .await
            .unwrap();
        // Past the store's glance at its files, as any later request is.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let after = server.gap_json("daniel-mensah", None, None).await.unwrap();
        assert_ne!(before, after, "the other process's assessment counts");
        assert_eq!(server.people().await.unwrap().len(), people + 1);
        assert_eq!(
            server.person("Zoe Newcomer").await.unwrap().key,
            "zoe-newcomer"
        );
    }
}
