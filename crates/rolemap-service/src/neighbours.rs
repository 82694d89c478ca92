//! Every role's nearest roles, computed once per frameworks generation and kept in the store:
//! `similar`, progression maps and routes read them instead of comparing every role again, and a
//! new process (a command, a server starting) reads them in milliseconds. Never stale: lists
//! computed for one generation answer only while the frameworks are unchanged, and are computed
//! again (and kept again) the first time they are needed after any change.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use rolemap_core::{Role, RoleId};

use crate::similar::{Model, Near};
use crate::{Result, Service, ServiceError};

/// How many neighbours each role's list keeps: questions for more compare afresh.
pub const LISTED: usize = 30;

/// One framework's roles, each with its nearest roles (by number), best first.
#[derive(Debug)]
pub(crate) struct NeighbourLists {
    pub roles: Vec<RoleId>,
    pub index: HashMap<RoleId, u32>,
    pub lists: Vec<Vec<Near>>,
}

impl NeighbourLists {
    fn new(roles: Vec<RoleId>, lists: Vec<Vec<Near>>) -> NeighbourLists {
        let index = roles
            .iter()
            .enumerate()
            .map(|(n, &id)| (id, n as u32))
            .collect();
        NeighbourLists {
            roles,
            index,
            lists,
        }
    }

    /// Every role's `LISTED` nearest, over all cores.
    fn compute(model: &Model) -> NeighbourLists {
        let lists = (0..model.len() as u32)
            .into_par_iter()
            .map(|origin| model.nearest(origin, LISTED))
            .collect();
        NeighbourLists::new(model.roles.clone(), lists)
    }

    /// The role numbered `n`.
    pub fn role(&self, n: u32) -> Option<RoleId> {
        self.roles.get(n as usize).copied()
    }
}

const MAGIC: &[u8] = b"rolemap neighbour lists 1\n";

/// The lists as bytes: the magic line, the role count, the role ids, then each role's list
/// (count, then each neighbour's number, score and components, people), little-endian.
fn encode(lists: &NeighbourLists) -> Vec<u8> {
    let entries: usize = lists.lists.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + lists.roles.len() * 10 + entries * 44);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(lists.roles.len() as u32).to_le_bytes());
    for role in &lists.roles {
        out.extend_from_slice(&role.0.to_le_bytes());
    }
    for list in &lists.lists {
        out.extend_from_slice(&(list.len() as u16).to_le_bytes());
        for n in list {
            out.extend_from_slice(&n.other.to_le_bytes());
            for x in [
                n.score,
                n.skills,
                n.cosine,
                n.jaccard,
                n.coverage,
                n.levels.unwrap_or(f32::NAN),
                n.text,
                n.moved,
            ] {
                out.extend_from_slice(&x.to_le_bytes());
            }
            out.extend_from_slice(&n.people.to_le_bytes());
        }
    }
    out
}

/// Reads bytes as [`encode`] writes them; `None` for anything else (then the lists are
/// computed again).
fn decode(bytes: &[u8]) -> Option<NeighbourLists> {
    struct Reader<'a>(&'a [u8]);
    impl Reader<'_> {
        fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
            let (head, rest) = self.0.split_first_chunk::<N>()?;
            self.0 = rest;
            Some(*head)
        }
        fn f32(&mut self) -> Option<f32> {
            self.take().map(f32::from_le_bytes)
        }
    }
    let mut r = Reader(bytes.strip_prefix(MAGIC)?);
    let count = u32::from_le_bytes(r.take()?) as usize;
    if count > bytes.len() / 8 {
        return None;
    }
    let mut roles = Vec::with_capacity(count);
    for _ in 0..count {
        roles.push(RoleId(i64::from_le_bytes(r.take()?)));
    }
    let mut lists = Vec::with_capacity(count);
    for _ in 0..count {
        let len = u16::from_le_bytes(r.take()?) as usize;
        let mut list = Vec::with_capacity(len.min(LISTED));
        for _ in 0..len {
            let other = u32::from_le_bytes(r.take()?);
            if other as usize >= count {
                return None;
            }
            let [
                score,
                skills,
                cosine,
                jaccard,
                coverage,
                levels,
                text,
                moved,
            ] = [
                r.f32()?,
                r.f32()?,
                r.f32()?,
                r.f32()?,
                r.f32()?,
                r.f32()?,
                r.f32()?,
                r.f32()?,
            ];
            list.push(Near {
                other,
                score,
                skills,
                cosine,
                jaccard,
                coverage,
                levels: (!levels.is_nan()).then_some(levels),
                groups: None,
                text,
                moved,
                people: u64::from_le_bytes(r.take()?),
            });
        }
        lists.push(list);
    }
    r.0.is_empty().then(|| NeighbourLists::new(roles, lists))
}

impl Service {
    /// The `limit` roles of its framework nearest `origin`, best first: from the kept lists when
    /// they hold that many, else compared afresh.
    pub(crate) async fn nearest_roles(
        &self,
        origin: &Role,
        limit: usize,
    ) -> Result<Vec<(RoleId, Near)>> {
        let older = || {
            ServiceError::invalid(
                "role",
                format!(
                    "{} is in an older version of {}; similarity compares the roles of the latest",
                    origin.title, origin.framework_key
                ),
            )
        };
        if limit <= LISTED {
            let lists = self.neighbour_lists(&origin.framework_key).await?;
            let &number = lists.index.get(&origin.id).ok_or_else(older)?;
            let list = lists.lists.get(number as usize).ok_or_else(older)?;
            return Ok(list
                .iter()
                .take(limit)
                .filter_map(|n| Some((lists.role(n.other)?, *n)))
                .collect());
        }
        let model = self.similarity_model(&origin.framework_key).await?;
        let &number = model.index.get(&origin.id).ok_or_else(older)?;
        Ok(model
            .nearest(number, limit)
            .into_iter()
            .filter_map(|n| Some((*model.roles.get(n.other as usize)?, n)))
            .collect())
    }

    /// Brings every framework's neighbour lists up to date now, so that the first question after
    /// an import does not wait for them (a server calls this at start and after imports).
    pub async fn warm_neighbours(&self) -> Result<()> {
        let keys: std::collections::BTreeSet<String> = self
            .store
            .frameworks()
            .await?
            .into_iter()
            .map(|f| f.key)
            .collect();
        for key in keys {
            self.neighbour_lists(&key).await?;
        }
        Ok(())
    }

    fn held_lists(&self, framework: &str, generation: i64) -> Option<Arc<NeighbourLists>> {
        let current = self.similarity.lists.read().ok()?;
        let (built_for, lists) = current.as_ref()?;
        (*built_for == generation)
            .then(|| lists.get(framework).cloned())
            .flatten()
    }

    /// A framework's neighbour lists for the current frameworks generation: as held in memory,
    /// else as kept in the store, else computed (and kept).
    pub(crate) async fn neighbour_lists(&self, framework: &str) -> Result<Arc<NeighbourLists>> {
        let generation = self.store.frameworks_generation().await?;
        if let Some(lists) = self.held_lists(framework, generation) {
            return Ok(lists);
        }
        let _building = self.similarity.building.lock().await;
        let generation = self.store.frameworks_generation().await?;
        if let Some(lists) = self.held_lists(framework, generation) {
            return Ok(lists);
        }
        let kept = match self.store.neighbour_lists(framework, generation).await? {
            Some(bytes) => tokio::task::spawn_blocking(move || decode(&bytes))
                .await
                .map_err(|e| ServiceError::Internal(format!("reading neighbour lists: {e}")))?,
            None => None,
        };
        let lists = match kept {
            Some(lists) => Arc::new(lists),
            None => {
                let model = self.similarity_model(framework).await?;
                let started = std::time::Instant::now();
                let (lists, bytes) = tokio::task::spawn_blocking(move || {
                    let lists = NeighbourLists::compute(&model);
                    let bytes = encode(&lists);
                    (lists, bytes)
                })
                .await
                .map_err(|e| ServiceError::Internal(format!("computing neighbour lists: {e}")))?;
                tracing::debug!(
                    framework,
                    roles = lists.roles.len(),
                    bytes = bytes.len(),
                    elapsed = ?started.elapsed(),
                    "computed neighbour lists"
                );
                self.store
                    .keep_neighbour_lists(framework, generation, &bytes)
                    .await?;
                Arc::new(lists)
            }
        };
        if let Ok(mut current) = self.similarity.lists.write() {
            match &mut *current {
                Some((built_for, all)) if *built_for == generation => {
                    all.insert(framework.to_owned(), Arc::clone(&lists));
                }
                _ => {
                    *current = Some((
                        generation,
                        HashMap::from([(framework.to_owned(), Arc::clone(&lists))]),
                    ));
                }
            }
        }
        Ok(lists)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(other: u32, score: f32, levels: Option<f32>) -> Near {
        Near {
            other,
            score,
            skills: score,
            cosine: 0.5,
            jaccard: 0.25,
            coverage: 1.0,
            levels,
            groups: None,
            text: 0.125,
            moved: 0.0,
            people: 7,
        }
    }

    #[test]
    fn lists_read_back_as_written_and_damage_is_refused() {
        let lists = NeighbourLists::new(
            vec![RoleId(10), RoleId(11), RoleId(12)],
            vec![
                vec![near(1, 0.9, Some(0.75)), near(2, 0.5, None)],
                Vec::new(),
                vec![near(0, 0.1, None)],
            ],
        );
        let bytes = encode(&lists);
        let back = decode(&bytes).expect("decoded");
        assert_eq!(back.roles, lists.roles);
        assert_eq!(back.lists, lists.lists);
        assert_eq!(back.index.get(&RoleId(12)), Some(&2));
        // Every shorter prefix, a byte more, a changed magic line: refused.
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
        let mut other = bytes.clone();
        other[0] ^= 1;
        assert!(decode(&other).is_none());
    }
}
