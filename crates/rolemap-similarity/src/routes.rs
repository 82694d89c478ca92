//! Routes from one role to another: the `k` cheapest multi-step paths through a graph of
//! roles, each path visiting a role at most once and taking at most `max_steps` steps.
//!
//! What a step costs is the caller's business (rolemap weighs similarity, level change and, for a
//! person, their assessed skills); here costs are whole numbers, so results are exact and
//! deterministic.
//!
//! The search is best-first over partial paths, guided by an exact bound: for every role and
//! every number of steps left, the cheapest cost to the destination in at most that many steps
//! (one Bellman-Ford pass per step, `max_steps × edges` in all). Partial paths come off the queue
//! in order of their cost so far plus that bound, so the first path to reach the destination is
//! the cheapest, the next the second cheapest, and so on; paths that would revisit a role are
//! never extended. The bound ignores the no-revisit rule, so it never overestimates. Unlike
//! Yen's algorithm as the `pathfinding` crate offers it, this honours the step limit, which on a
//! graph as dense as ESCO's (3,007 roles, tens of thousands of near neighbours) is what keeps
//! routes short enough to follow.
//!
//! ```
//! use rolemap_similarity::routes::Graph;
//!
//! // 0 -> 1 -> 2 costs 2; 0 -> 2 costs 5.
//! let graph = Graph::new(3, [(0, 1, 1), (1, 2, 1), (0, 2, 5)]);
//! let routes = graph.best_routes(0, 2, 3, 5);
//! assert_eq!(routes.len(), 2);
//! assert_eq!((routes[0].nodes.as_slice(), routes[0].cost), (&[0, 1, 2][..], 2));
//! assert_eq!((routes[1].nodes.as_slice(), routes[1].cost), (&[0, 2][..], 5));
//! ```

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A directed graph of numbered roles, each step with a cost, in compressed rows.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Node n's steps are `to[start[n]..start[n + 1]]` and `cost[...]`, sorted by destination.
    start: Vec<u32>,
    to: Vec<u32>,
    cost: Vec<u32>,
}

/// One route: the roles from start to destination, and what the steps cost in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub nodes: Vec<u32>,
    pub cost: u64,
}

/// The most partial paths one question takes off the queue before it settles for the routes
/// found so far: a guard against pathological graphs, far above what real frameworks need.
pub const MAX_EXPANSIONS: usize = 500_000;

const UNREACHABLE: u64 = u64::MAX;

/// A partial path: its last role, the path it extends, its cost and its number of steps.
#[derive(Debug, Clone, Copy)]
struct Partial {
    node: u32,
    parent: u32,
    cost: u64,
    steps: u32,
}

const NO_PARENT: u32 = u32::MAX;

impl Graph {
    /// Builds a graph of `nodes` nodes from (from, to, cost) steps. Steps from a node to itself
    /// and nodes out of range are ignored; a step given twice keeps the cheaper cost.
    pub fn new(nodes: usize, steps: impl IntoIterator<Item = (u32, u32, u32)>) -> Graph {
        let mut steps: Vec<(u32, u32, u32)> = steps
            .into_iter()
            .filter(|&(a, b, _)| a != b && (a as usize) < nodes && (b as usize) < nodes)
            .collect();
        steps.sort_unstable();
        steps.dedup_by_key(|s| (s.0, s.1));
        let mut start = vec![0u32; nodes + 1];
        for &(a, _, _) in &steps {
            start[a as usize + 1] += 1;
        }
        for n in 0..nodes {
            start[n + 1] += start[n];
        }
        Graph {
            start,
            to: steps.iter().map(|s| s.1).collect(),
            cost: steps.iter().map(|s| s.2).collect(),
        }
    }

    pub fn nodes(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    pub fn edges(&self) -> usize {
        self.to.len()
    }

    /// The steps out of `node`: (destination, cost), by destination.
    pub fn steps_from(&self, node: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let n = node as usize;
        let (a, b) = match (self.start.get(n), self.start.get(n + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        self.to[a..b]
            .iter()
            .copied()
            .zip(self.cost[a..b].iter().copied())
    }

    /// The cost of the step from `a` to `b`, if there is one.
    pub fn step_cost(&self, a: u32, b: u32) -> Option<u32> {
        self.steps_from(a).find(|&(to, _)| to == b).map(|(_, c)| c)
    }

    /// `bound[r * n + v]`: the least cost from `v` to `to` in at most `r` steps.
    fn bounds(&self, to: u32, max_steps: usize) -> Vec<u64> {
        let n = self.nodes();
        let mut bound = vec![UNREACHABLE; (max_steps + 1) * n];
        bound[to as usize] = 0;
        for r in 1..=max_steps {
            let (done, layer) = bound.split_at_mut(r * n);
            let previous = &done[(r - 1) * n..];
            let layer = &mut layer[..n];
            for v in 0..n {
                let mut best = previous[v];
                for (w, c) in self.steps_from(v as u32) {
                    let rest = previous[w as usize];
                    if rest != UNREACHABLE {
                        best = best.min(rest + u64::from(c));
                    }
                }
                layer[v] = best;
            }
        }
        bound
    }

    /// The `k` cheapest routes from `from` to `to` of at most `max_steps` steps that visit no
    /// role twice, cheapest first (ties: the route with fewer steps, then the one found first,
    /// which is deterministic). Empty when there is none, when `from` is `to`, or when either is
    /// out of range.
    pub fn best_routes(&self, from: u32, to: u32, max_steps: usize, k: usize) -> Vec<Route> {
        let n = self.nodes();
        if from == to || from as usize >= n || to as usize >= n || k == 0 || max_steps == 0 {
            return Vec::new();
        }
        let bound = self.bounds(to, max_steps);
        let bound_at = |steps_left: usize, node: u32| bound[steps_left * n + node as usize];
        if bound_at(max_steps, from) == UNREACHABLE {
            return Vec::new();
        }
        let mut arena = vec![Partial {
            node: from,
            parent: NO_PARENT,
            cost: 0,
            steps: 0,
        }];
        // (cost so far + bound, steps, arena index): the smallest first.
        let mut queue = BinaryHeap::from([Reverse((bound_at(max_steps, from), 0u32, 0u32))]);
        let mut routes = Vec::new();
        let mut expansions = 0;
        while let Some(Reverse((_, _, index))) = queue.pop() {
            let partial = arena[index as usize];
            if partial.node == to {
                routes.push(Route {
                    nodes: path(&arena, index),
                    cost: partial.cost,
                });
                if routes.len() == k {
                    break;
                }
                continue;
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS {
                break;
            }
            let steps_left = max_steps - partial.steps as usize - 1;
            for (next, cost) in self.steps_from(partial.node) {
                let rest = bound_at(steps_left, next);
                if rest == UNREACHABLE || visits(&arena, index, next) {
                    continue;
                }
                let cost = partial.cost + u64::from(cost);
                let Ok(child) = u32::try_from(arena.len()) else {
                    return routes;
                };
                arena.push(Partial {
                    node: next,
                    parent: index,
                    cost,
                    steps: partial.steps + 1,
                });
                queue.push(Reverse((cost + rest, partial.steps + 1, child)));
            }
        }
        routes
    }

    /// Every node reachable from `from` in at most `max_steps` steps (`from` itself excluded),
    /// with the fewest steps it takes, by node.
    pub fn reachable(&self, from: u32, max_steps: usize) -> Vec<(u32, u32)> {
        let n = self.nodes();
        if from as usize >= n {
            return Vec::new();
        }
        let mut steps = vec![u32::MAX; n];
        steps[from as usize] = 0;
        let mut frontier = vec![from];
        for depth in 1..=max_steps as u32 {
            let mut next = Vec::new();
            for &node in &frontier {
                for (w, _) in self.steps_from(node) {
                    if steps[w as usize] == u32::MAX {
                        steps[w as usize] = depth;
                        next.push(w);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        steps
            .iter()
            .enumerate()
            .filter(|&(node, &s)| s != u32::MAX && node != from as usize)
            .map(|(node, &s)| (node as u32, s))
            .collect()
    }

    /// The least cost from `from` to every node in at most `max_steps` steps, with the steps
    /// that cheapest route takes (the fewer among equals); `None` where no route reaches.
    /// Costs are positive, so the cheapest route visits no node twice: it is the first of
    /// [`Graph::best_routes`] to that node.
    pub fn cheapest_from(&self, from: u32, max_steps: usize) -> Vec<Option<(u64, u32)>> {
        let n = self.nodes();
        let mut best: Vec<Option<(u64, u32)>> = vec![None; n];
        if from as usize >= n {
            return best;
        }
        best[from as usize] = Some((0, 0));
        let mut layer = best.clone();
        for depth in 1..=max_steps as u32 {
            let mut next: Vec<Option<(u64, u32)>> = vec![None; n];
            for (v, reached) in layer.iter().enumerate() {
                let Some((cost, _)) = *reached else {
                    continue;
                };
                for (w, c) in self.steps_from(v as u32) {
                    let cost = cost + u64::from(c);
                    if next[w as usize].is_none_or(|(old, _)| cost < old) {
                        next[w as usize] = Some((cost, depth));
                    }
                }
            }
            for (slot, reached) in best.iter_mut().zip(&next) {
                if let Some((cost, steps)) = *reached
                    && slot.is_none_or(|(old, _)| cost < old)
                {
                    *slot = Some((cost, steps));
                }
            }
            if next.iter().all(Option::is_none) {
                break;
            }
            layer = next;
        }
        best[from as usize] = None;
        best
    }
}

/// The nodes of the partial path ending at `index`, from its start.
fn path(arena: &[Partial], mut index: u32) -> Vec<u32> {
    let mut nodes = Vec::new();
    while index != NO_PARENT {
        let partial = arena[index as usize];
        nodes.push(partial.node);
        index = partial.parent;
    }
    nodes.reverse();
    nodes
}

/// Whether the partial path ending at `index` already visits `node`.
fn visits(arena: &[Partial], mut index: u32, node: u32) -> bool {
    while index != NO_PARENT {
        let partial = arena[index as usize];
        if partial.node == node {
            return true;
        }
        index = partial.parent;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(routes: &[Route]) -> Vec<(Vec<u32>, u64)> {
        routes.iter().map(|r| (r.nodes.clone(), r.cost)).collect()
    }

    #[test]
    fn the_cheapest_cost_to_every_node_matches_the_best_route() {
        // 0 → 1 → 2 is cheaper than 0 → 2 directly; within 2 steps 3 is reached only through
        // the dearer direct step.
        let graph = Graph::new(4, [(0, 1, 100), (1, 2, 100), (0, 2, 500), (2, 3, 100)]);
        let best = graph.cheapest_from(0, 2);
        assert_eq!(best, [None, Some((100, 1)), Some((200, 2)), Some((600, 2))]);
        assert_eq!(graph.best_routes(0, 2, 2, 1)[0].cost, 200);
        assert_eq!(graph.best_routes(0, 3, 2, 1)[0].cost, 600);
        assert_eq!(graph.cheapest_from(0, 3)[3], Some((300, 3)));
        // One step only: the direct step.
        assert_eq!(graph.cheapest_from(0, 1)[2], Some((500, 1)));
        assert_eq!(graph.cheapest_from(9, 2), [None, None, None, None]);
    }

    #[test]
    fn a_direct_step_is_a_one_step_route() {
        let graph = Graph::new(2, [(0, 1, 7)]);
        assert_eq!(nodes(&graph.best_routes(0, 1, 4, 3)), [(vec![0, 1], 7)]);
        // Steps have a direction.
        assert!(graph.best_routes(1, 0, 4, 3).is_empty());
    }

    #[test]
    fn no_route_is_empty_and_reachable_says_how_far_one_gets() {
        // 0 -> 1 -> 2, and 3 alone.
        let graph = Graph::new(4, [(0, 1, 1), (1, 2, 1)]);
        assert!(graph.best_routes(0, 3, 5, 3).is_empty());
        assert_eq!(graph.reachable(0, 5), [(1, 1), (2, 2)]);
        assert_eq!(graph.reachable(0, 1), [(1, 1)]);
        // Out of range, or already there.
        assert!(graph.best_routes(0, 9, 5, 3).is_empty());
        assert!(graph.best_routes(0, 0, 5, 3).is_empty());
        assert!(graph.reachable(9, 2).is_empty());
    }

    #[test]
    fn routes_come_cheapest_first_and_never_revisit_a_role() {
        // A cycle 0 <-> 1 <-> 2 with cheap steps back, and two ways on to 3.
        let graph = Graph::new(
            4,
            [
                (0, 1, 1),
                (1, 0, 1),
                (1, 2, 1),
                (2, 1, 1),
                (2, 0, 1),
                (0, 2, 4),
                (2, 3, 1),
                (1, 3, 5),
            ],
        );
        let routes = graph.best_routes(0, 3, 6, 10);
        assert_eq!(
            nodes(&routes),
            [
                (vec![0, 1, 2, 3], 3),
                (vec![0, 2, 3], 5),
                (vec![0, 1, 3], 6),
                (vec![0, 2, 1, 3], 10),
            ]
        );
        for route in &routes {
            let mut seen = route.nodes.clone();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), route.nodes.len(), "{route:?}");
        }
    }

    #[test]
    fn the_step_limit_is_kept_even_when_longer_routes_are_cheaper() {
        // 0 -> 1 -> 2 -> 3 costs 3; 0 -> 3 costs 100.
        let graph = Graph::new(4, [(0, 1, 1), (1, 2, 1), (2, 3, 1), (0, 3, 100)]);
        assert_eq!(
            nodes(&graph.best_routes(0, 3, 3, 1)),
            [(vec![0, 1, 2, 3], 3)]
        );
        assert_eq!(nodes(&graph.best_routes(0, 3, 2, 5)), [(vec![0, 3], 100)]);
        assert!(
            Graph::new(4, [(0, 1, 1), (1, 2, 1), (2, 3, 1)])
                .best_routes(0, 3, 2, 5)
                .is_empty()
        );
    }

    #[test]
    fn a_route_ends_where_it_reaches_the_destination() {
        // 0 -> 1 -> 2 -> 1 is not a route to 1 through 2.
        let graph = Graph::new(3, [(0, 1, 1), (1, 2, 1), (2, 1, 1), (0, 2, 1)]);
        assert_eq!(
            nodes(&graph.best_routes(0, 1, 5, 5)),
            [(vec![0, 1], 1), (vec![0, 2, 1], 2)]
        );
    }

    #[test]
    fn repeated_steps_keep_the_cheaper_cost_and_self_steps_are_dropped() {
        let graph = Graph::new(2, [(0, 1, 9), (0, 1, 2), (1, 1, 1), (0, 5, 1)]);
        assert_eq!(graph.edges(), 1);
        assert_eq!(graph.step_cost(0, 1), Some(2));
        assert_eq!(graph.step_cost(1, 0), None);
    }

    #[test]
    fn answers_are_deterministic_among_equal_costs() {
        // A diamond with four equal routes.
        let graph = Graph::new(
            6,
            [
                (0, 1, 1),
                (0, 2, 1),
                (0, 3, 1),
                (0, 4, 1),
                (1, 5, 1),
                (2, 5, 1),
                (3, 5, 1),
                (4, 5, 1),
            ],
        );
        let first = graph.best_routes(0, 5, 2, 3);
        assert_eq!(first.len(), 3);
        for _ in 0..5 {
            assert_eq!(graph.best_routes(0, 5, 2, 3), first);
        }
    }
}
