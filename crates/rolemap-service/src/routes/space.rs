//! The space routes are searched in: the roles of the frameworks of both ends, the steps between
//! them, their graphs (kept per frameworks generation), and the search for the best routes.

use super::*;

impl Service {
    /// The roles of the frameworks of `ends`, with the steps their neighbour lists and links
    /// give: built once per frameworks generation.
    pub(super) async fn route_space(&self, ends: &[&Role]) -> Result<Arc<Space>> {
        let mut frameworks: Vec<String> = ends.iter().map(|r| r.framework_key.clone()).collect();
        frameworks.sort();
        frameworks.dedup();
        let generation = self.store.frameworks_generation().await?;
        if let Ok(cache) = self.similarity.routes.lock()
            && let Some(cache) = &*cache
            && cache.generation == generation
            && let Some(space) = cache.spaces.get(&frameworks)
        {
            return Ok(Arc::clone(space));
        }
        let space = Arc::new(self.build_route_space(&frameworks).await?);
        if let Ok(mut cache) = self.similarity.routes.lock() {
            let cache = cache.get_or_insert_with(RouteCache::default);
            if cache.generation != generation {
                *cache = RouteCache {
                    generation,
                    ..RouteCache::default()
                };
            }
            if cache.spaces.len() >= CACHED {
                cache.spaces.clear();
                cache.graphs.clear();
            }
            cache.spaces.insert(frameworks, Arc::clone(&space));
        }
        Ok(space)
    }

    /// The graph of a space at a minimum similarity (with or without its steps down), built
    /// once per space, minimum and kind.
    pub(super) fn route_graph(
        &self,
        space: &Arc<Space>,
        min_similarity: f32,
        climbing: bool,
    ) -> Arc<Graph> {
        let key = (
            Arc::as_ptr(space) as usize,
            min_similarity.to_bits(),
            climbing,
        );
        if let Ok(cache) = self.similarity.routes.lock()
            && let Some(cache) = &*cache
            && let Some((kept, graph)) = cache.graphs.get(&key)
            && Arc::ptr_eq(kept, space)
        {
            return Arc::clone(graph);
        }
        let graph = Arc::new(space.graph(min_similarity, None, climbing));
        if let Ok(mut cache) = self.similarity.routes.lock()
            && let Some(cache) = &mut *cache
        {
            if cache.graphs.len() >= CACHED {
                cache.graphs.clear();
            }
            cache
                .graphs
                .insert(key, (Arc::clone(space), Arc::clone(&graph)));
        }
        graph
    }

    async fn build_route_space(&self, frameworks: &[String]) -> Result<Space> {
        let mut space = Space {
            frameworks: Vec::new(),
            roles: Vec::new(),
            index: HashMap::new(),
            bands: Vec::new(),
            steps: HashMap::new(),
            nearest: Vec::new(),
            likeness: HashMap::new(),
        };
        let mut links = Vec::new();
        for framework in frameworks {
            let framework = framework.as_str();
            space.frameworks.push(framework.to_owned());
            let lists = self.neighbour_lists(framework).await?;
            let offset = space.roles.len() as u32;
            space.roles.extend_from_slice(&lists.roles);
            for (n, list) in lists.lists.iter().enumerate() {
                let nearest: Vec<(u32, f32)> =
                    list.iter().map(|x| (offset + x.other, x.score)).collect();
                for (&(other, score), near) in nearest.iter().zip(list) {
                    space
                        .steps
                        .insert((offset + n as u32, other), (score, Vec::new()));
                    space.likeness.insert(
                        (offset + n as u32, other),
                        Likeness {
                            score,
                            text: near.text,
                            moved: near.moved,
                        },
                    );
                }
                space.nearest.push(nearest);
            }
            let bands: HashMap<RoleId, Option<Band>> = self
                .store
                .role_bands(framework)
                .await?
                .into_iter()
                .collect();
            space.bands.extend(
                lists
                    .roles
                    .iter()
                    .map(|id| bands.get(id).cloned().flatten()),
            );
            links.extend(self.store.role_links(framework).await?);
        }
        space.index = space
            .roles
            .iter()
            .enumerate()
            .map(|(n, &id)| (id, n as u32))
            .collect();
        links.sort_unstable_by_key(|&(a, b, kind)| (a.0, b.0, kind.as_str()));
        links.dedup();
        for (a, b, kind) in links {
            let (Some(&a), Some(&b)) = (space.index.get(&a), space.index.get(&b)) else {
                continue;
            };
            let directions: &[(u32, u32)] = match kind {
                LinkKind::Route => &[(a, b)],
                LinkKind::Equivalent | LinkKind::Related => &[(a, b), (b, a)],
            };
            for &(x, y) in directions {
                let step = space.steps.entry((x, y)).or_insert((0.0, Vec::new()));
                step.0 = step.0.max(link_floor(kind));
                step.1.push(kind);
            }
        }
        Ok(space)
    }
}

impl Space {
    /// Whether the step from `a` to `b` is up, sideways or down: by their bands, else by a link
    /// a framework names along it (a route reads as a step up, the same kind of role as the
    /// same level).
    pub(super) fn change(&self, a: u32, b: u32) -> Change {
        let change = rolemap_core::seniority::change(
            self.bands[a as usize].as_ref(),
            self.bands[b as usize].as_ref(),
        );
        if change != Change::Unknown {
            return change;
        }
        let links = self.steps.get(&(a, b)).map(|(_, links)| links.as_slice());
        match links {
            Some(links) if links.contains(&LinkKind::Route) => Change::Up,
            Some(links) if links.contains(&LinkKind::Equivalent) => Change::Same,
            _ => Change::Unknown,
        }
    }

    /// The `k` best routes from `ends.0` to `ends.1`: those that never step down first (from
    /// `climbing`, the graph without steps down), cheapest first, then, when fewer than `k`,
    /// those that do (from `graph`), cheapest first; and how many never step down.
    pub(super) fn best_routes(
        &self,
        graph: &Graph,
        climbing: &Graph,
        (start, end): (u32, u32),
        max_steps: usize,
        k: usize,
    ) -> (Vec<rolemap_similarity::routes::Route>, usize) {
        let mut found = climbing.best_routes(start, end, max_steps, k);
        let rising = found.len();
        if rising < k {
            // The cheapest k + rising of all hold at least k - rising that step down.
            found.extend(
                graph
                    .best_routes(start, end, max_steps, k + rising)
                    .into_iter()
                    .filter(|r| self.steps_down(&r.nodes))
                    .take(k - rising),
            );
        }
        (found, rising)
    }

    /// Whether a route (its roles, the start first) steps down anywhere.
    fn steps_down(&self, nodes: &[u32]) -> bool {
        nodes
            .windows(2)
            .any(|pair| self.change(pair[0], pair[1]) == Change::Down)
    }

    /// The graph of steps whose score reaches `min_similarity` (links always), costed as the
    /// module says; with a person's readiness per role (0 to 100), blended into each step's
    /// score (a role without skill requirements counting 0). When `climbing`, without the steps
    /// down.
    pub(super) fn graph(
        &self,
        min_similarity: f32,
        readiness: Option<&[Option<f64>]>,
        climbing: bool,
    ) -> Graph {
        let steps: BTreeMap<(u32, u32), u32> = self
            .steps
            .iter()
            .filter(|(_, (score, links))| !links.is_empty() || *score >= min_similarity)
            .filter(|((a, b), _)| !climbing || self.change(*a, *b) != Change::Down)
            .map(|(&(a, b), (score, _))| {
                let score = match readiness {
                    Some(ready) => {
                        0.5 * score + 0.5 * (ready[b as usize].unwrap_or(0.0) / 100.0) as f32
                    }
                    None => *score,
                };
                let change = self.change(a, b);
                let cost = (1000.0 * (1.0 - score.clamp(0.0, 1.0))).round() as u32
                    + STEP_COST
                    + change_cost(change);
                ((a, b), cost)
            })
            .collect();
        Graph::new(
            self.roles.len(),
            steps.into_iter().map(|((a, b), cost)| (a, b, cost)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rolemap_core::seniority::Basis;

    /// A space of roles at the given grade positions (one ladder), with the given steps.
    fn space(grades: &[f32], steps: &[(u32, u32, f32)]) -> Space {
        let roles: Vec<RoleId> = (0..grades.len() as i64).map(RoleId).collect();
        Space {
            frameworks: vec!["f".to_owned()],
            index: roles
                .iter()
                .enumerate()
                .map(|(n, &id)| (id, n as u32))
                .collect(),
            roles,
            bands: grades
                .iter()
                .map(|&g| {
                    Some(Band {
                        basis: Basis::Grades("ladder".to_owned()),
                        low: g,
                        high: g,
                    })
                })
                .collect(),
            steps: steps
                .iter()
                .map(|&(a, b, score)| ((a, b), (score, Vec::new())))
                .collect(),
            nearest: vec![Vec::new(); grades.len()],
            likeness: HashMap::new(),
        }
    }

    #[test]
    fn routes_that_step_down_to_a_front_line_role_come_after_those_that_climb() {
        // 0 (grade 4) to 2 (grade 6): through the front-line role 1 (grade 1), very alike both
        // ends, or through 3 (grade 5), barely alike either.
        let space = space(
            &[4.0, 1.0, 6.0, 5.0],
            &[(0, 1, 0.95), (1, 2, 0.95), (0, 3, 0.2), (3, 2, 0.2)],
        );
        let graph = space.graph(0.15, None, false);
        let climbing = space.graph(0.15, None, true);
        // By cost alone the step down wins (0.85 + 0.25 against 1.0 + 1.0).
        let cheapest = graph.best_routes(0, 2, 4, 2);
        assert_eq!(cheapest[0].nodes, [0, 1, 2]);
        let (found, rising) = space.best_routes(&graph, &climbing, (0, 2), 4, 2);
        let nodes: Vec<&[u32]> = found.iter().map(|r| r.nodes.as_slice()).collect();
        assert_eq!(nodes, [&[0, 3, 2][..], &[0, 1, 2][..]]);
        assert_eq!(rising, 1);
        let (one, _) = space.best_routes(&graph, &climbing, (0, 2), 4, 1);
        assert_eq!(one[0].nodes, [0, 3, 2]);
    }

    #[test]
    fn a_route_down_to_a_lower_role_is_still_found() {
        let space = space(&[4.0, 1.0], &[(0, 1, 0.9)]);
        let graph = space.graph(0.15, None, false);
        let climbing = space.graph(0.15, None, true);
        let (found, rising) = space.best_routes(&graph, &climbing, (0, 1), 4, 3);
        assert_eq!(rising, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].nodes, [0, 1]);
    }
}
