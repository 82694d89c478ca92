//! The similarity model of a framework: how it is built from the store's rows, and the nearest
//! roles to an origin by skills, texts, movements, levels and groups.

use super::*;

/// Numbers every role of the framework (those with texts first, in id order) and builds both
/// signals over them.
pub(super) fn build(
    texts: &[(RoleId, String)],
    pairs: &[(RoleId, SkillId, bool)],
    transitions: &[(RoleId, RoleId, u64)],
    levels: &[rolemap_store::RequirementLevels],
) -> Model {
    let mut roles = Vec::new();
    let mut index = HashMap::new();
    let mut number = |role: RoleId, roles: &mut Vec<RoleId>| {
        *index.entry(role).or_insert_with(|| {
            roles.push(role);
            (roles.len() - 1) as u32
        })
    };
    for (role, _) in texts {
        number(*role, &mut roles);
    }
    let mut skills: HashMap<SkillId, u32> = HashMap::new();
    let mut triples = Vec::with_capacity(pairs.len());
    for &(role, skill, essential) in pairs {
        let r = number(role, &mut roles);
        let next = skills.len() as u32;
        let s = *skills.entry(skill).or_insert(next);
        triples.push((r, s, essential));
    }
    let mut role_texts = vec![""; roles.len()];
    for (role, text) in texts {
        if let Some(&r) = index.get(role) {
            role_texts[r as usize] = text.as_str();
        }
    }
    let mut moves: HashMap<u32, (Vec<(u32, u64)>, u64)> = HashMap::new();
    for (from, to, people) in transitions {
        if let (Some(&f), Some(&t)) = (index.get(from), index.get(to)) {
            let entry = moves.entry(f).or_default();
            entry.0.push((t, *people));
            entry.1 += people;
        }
    }
    let levels = levels
        .iter()
        .filter_map(|l| {
            let key = (*index.get(&l.role)?, *skills.get(&l.skill)?);
            Some((key, (l.low, l.high, l.ranks.max(1))))
        })
        .collect();
    Model {
        profiles: Profiles::new(roles.len(), skills.len(), triples),
        texts: TextProfiles::new(&role_texts),
        moves,
        roles,
        index,
        skills,
        levels,
        labels: HashMap::new(),
        mapped: HashMap::new(),
        groups: None,
    }
}

/// One role near an origin, by number, with the score and its components.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Near {
    pub other: u32,
    pub score: f32,
    pub skills: f32,
    pub cosine: f32,
    pub jaccard: f32,
    pub coverage: f32,
    pub levels: Option<f32>,
    /// With the skills hierarchy: the cosine of the two roles' skill groups.
    pub groups: Option<f32>,
    pub text: f32,
    pub moved: f32,
    pub people: u64,
}

impl Near {
    /// Role `other` with every component 0, for scores made up otherwise.
    pub(crate) fn empty(other: u32) -> Near {
        Near {
            other,
            score: 0.0,
            skills: 0.0,
            cosine: 0.0,
            jaccard: 0.0,
            coverage: 0.0,
            levels: None,
            groups: None,
            text: 0.0,
            moved: 0.0,
            people: 0,
        }
    }
}

/// With the skills hierarchy, the share of the skills score its groups' cosine makes: two skills
/// under one group count a little.
pub const GROUPS_SHARE: f32 = 0.1;

/// How far a highest level held (`have`) goes towards an entry level needed (`need`) on a scale
/// of `ranks` levels: 1 when it meets it, one `ranks`-th less for each level short.
pub(crate) fn level_fit(have: u8, need: u8, ranks: u8) -> f32 {
    if have >= need {
        1.0
    } else {
        (1.0 - f32::from(need - have) / f32::from(ranks.max(1))).max(0.0)
    }
}

impl Model {
    /// Gives the model its skills' preferred labels. A label two of its skills share names
    /// neither: which one another framework's skill of that label would be is a guess.
    pub(crate) fn set_labels(&mut self, labels: &[(SkillId, String)]) {
        let mut by_label: HashMap<String, Option<u32>> = HashMap::new();
        for (id, label) in labels {
            let Some(&n) = self.skills.get(id) else {
                continue;
            };
            by_label
                .entry(label.trim().to_lowercase())
                .and_modify(|seen| {
                    if *seen != Some(n) {
                        *seen = None;
                    }
                })
                .or_insert(Some(n));
        }
        self.labels = by_label
            .into_iter()
            .filter_map(|(label, n)| Some((label, n?)))
            .collect();
    }

    /// Gives the model the reviewed mappings: a skill of another framework mapped exact or close
    /// to one of its skills (either way round) counts as that skill.
    pub(crate) fn set_mappings(&mut self, mappings: &[rolemap_core::Mapping]) {
        for m in mappings.iter().filter(|m| m.kind.same_skill()) {
            for (own, other) in [(m.from, m.to), (m.to, m.from)] {
                if let Some(&n) = self.skills.get(&own)
                    && !self.skills.contains_key(&other)
                {
                    self.mapped.entry(other).or_insert(n);
                }
            }
        }
    }

    /// A role of another framework against these roles: its requirements matched to these
    /// roles' skills by preferred label (case aside) or by a reviewed mapping, best first.
    pub(crate) fn compare_elsewhere(&self, role: &Role) -> Vec<rolemap_similarity::Similarity> {
        let mapped: Vec<(u32, bool)> = role
            .requirements
            .iter()
            .filter_map(|r| {
                let n = self
                    .labels
                    .get(&r.skill.label.trim().to_lowercase())
                    .or_else(|| self.mapped.get(&r.skill.id))?;
                Some((*n, r.importance == Importance::Essential))
            })
            .collect();
        if mapped.is_empty() {
            return Vec::new();
        }
        let all: Vec<bool> = role
            .requirements
            .iter()
            .map(|r| r.importance == Importance::Essential)
            .collect();
        self.profiles.compare_external(&mapped, &all)
    }

    /// Gives the model the skills hierarchy: (skill, group) pairs.
    pub(crate) fn set_groups(&mut self, groups: &[(SkillId, i64)]) {
        if groups.is_empty() {
            return;
        }
        let mut numbers: HashMap<i64, u32> = HashMap::new();
        let mut of_skill: HashMap<u32, Vec<u32>> = HashMap::new();
        for (skill, group) in groups {
            let Some(&s) = self.skills.get(skill) else {
                continue;
            };
            let next = numbers.len() as u32;
            let g = *numbers.entry(*group).or_insert(next);
            of_skill.entry(s).or_default().push(g);
        }
        let mut triples = Vec::new();
        for role in 0..self.roles.len() as u32 {
            for (skill, essential) in self.profiles.skills_of(role) {
                for &g in of_skill.get(&skill).into_iter().flatten() {
                    triples.push((role, g, essential));
                }
            }
        }
        self.groups = Some(Profiles::new(self.roles.len(), numbers.len(), triples));
    }

    pub(crate) fn len(&self) -> usize {
        self.roles.len()
    }

    /// The skills of role `role` (numbers), each essential or not.
    pub(crate) fn skills_of(&self, role: u32) -> impl Iterator<Item = (u32, bool)> + '_ {
        self.profiles.skills_of(role)
    }

    /// Coverage counted with levels, and how well the origin's levels meet the other role's,
    /// where the framework sets levels for skills both require.
    fn with_levels(&self, origin: u32, s: &rolemap_similarity::Similarity) -> (f32, Option<f32>) {
        let mut essentials = 0u32;
        let mut covered = 0.0f32;
        let mut fits = (0.0f32, 0u32);
        let held: HashMap<u32, bool> = self.profiles.skills_of(origin).collect();
        for (skill, essential) in self.profiles.skills_of(s.other) {
            let fit = match held.get(&skill) {
                None => 0.0,
                Some(_) => match (
                    self.levels.get(&(origin, skill)),
                    self.levels.get(&(s.other, skill)),
                ) {
                    (Some(&(_, have, _)), Some(&(need, _, ranks))) => {
                        let fit = level_fit(have, need, ranks);
                        fits = (fits.0 + fit, fits.1 + 1);
                        fit
                    }
                    _ => 1.0,
                },
            };
            if essential {
                essentials += 1;
                covered += fit;
            }
        }
        let coverage = if essentials == 0 {
            0.0
        } else {
            covered / essentials as f32
        };
        (coverage, (fits.1 > 0).then(|| fits.0 / fits.1 as f32))
    }

    /// The `limit` roles nearest `origin` by the combined score: every role sharing a skill or a
    /// word with it, or that people have moved to from it.
    pub(crate) fn nearest(&self, origin: u32, limit: usize) -> Vec<Near> {
        self.nearest_with(origin, limit, false)
    }

    /// As [`Model::nearest`]; with `hierarchy`, skills under the groups the origin's skills sit
    /// under count a little: skills = (1 − GROUPS_SHARE) × skills + GROUPS_SHARE × groups.
    pub(crate) fn nearest_with(&self, origin: u32, limit: usize, hierarchy: bool) -> Vec<Near> {
        let empty = Near::empty;
        let mut by_role: HashMap<u32, Near> = HashMap::new();
        for s in self.profiles.compare_all(origin) {
            let (coverage, levels, skills) = if self.levels.is_empty() {
                (s.coverage, None, s.score)
            } else {
                let (coverage, levels) = self.with_levels(origin, &s);
                let w = rolemap_similarity::WEIGHTS;
                let skills = w.cosine * s.cosine + w.jaccard * s.jaccard + w.coverage * coverage;
                (coverage, levels, skills)
            };
            by_role.insert(
                s.other,
                Near {
                    skills,
                    cosine: s.cosine,
                    jaccard: s.jaccard,
                    coverage,
                    levels,
                    ..empty(s.other)
                },
            );
        }
        if hierarchy && let Some(groups) = &self.groups {
            for g in groups.compare_all(origin) {
                let near = by_role.entry(g.other).or_insert_with(|| empty(g.other));
                near.groups = Some(g.cosine);
            }
            for near in by_role.values_mut() {
                let groups = near.groups.unwrap_or(0.0);
                near.groups = Some(groups);
                near.skills = (1.0 - GROUPS_SHARE) * near.skills + GROUPS_SHARE * groups;
            }
        }
        for (other, cosine) in self.texts.cosines(origin) {
            by_role.entry(other).or_insert_with(|| empty(other)).text = cosine;
        }
        let moved = self.moves.get(&origin);
        if let Some((to, _)) = moved {
            for &(other, people) in to {
                if other != origin {
                    by_role.entry(other).or_insert_with(|| empty(other)).people = people;
                }
            }
        }
        let total = moved.map_or(0, |(_, total)| *total);
        let mut all: Vec<Near> = by_role
            .into_values()
            .map(|mut near| {
                let base = SKILLS_SHARE * near.skills + TEXT_SHARE * near.text;
                if total > 0 {
                    near.moved = near.people as f32 / total as f32;
                    near.score = (1.0 - MOVED_SHARE) * base + MOVED_SHARE * near.moved;
                } else {
                    near.score = base;
                }
                near
            })
            .collect();
        all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.other.cmp(&b.other)));
        all.truncate(limit);
        // Without this a kept list holds the room of every role compared (ESCO: 3,000 of them,
        // 130 KB per list, 400 MB for all the neighbour lists) rather than of the `limit` kept.
        all.shrink_to_fit();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_neighbour_list_holds_room_for_what_it_lists_only() {
        // 200 roles sharing one skill: every other role is compared, 3 are kept. The lists are
        // kept for every role of a framework, so the room of all 199 must not stay with them.
        let (r, s) = (RoleId, SkillId);
        let pairs: Vec<(RoleId, SkillId, bool)> =
            (1..=200).map(|role| (r(role), s(1), true)).collect();
        let texts: Vec<(RoleId, String)> = (1..=200).map(|role| (r(role), String::new())).collect();
        let near = build(&texts, &pairs, &[], &[]).nearest(0, 3);
        assert_eq!(near.len(), 3);
        assert!(near.capacity() <= 3, "capacity {}", near.capacity());
    }

    #[test]
    fn observed_movements_weigh_a_quarter_of_the_score() {
        // Roles 1, 2, 3 share the same two skills; of the 40 people who left role 1, 30 went to
        // role 3 and 10 to role 2.
        let (r, s) = (RoleId, SkillId);
        let pairs: Vec<(RoleId, SkillId, bool)> = (1..=3)
            .flat_map(|role| [(r(role), s(10), true), (r(role), s(11), false)])
            .collect();
        let texts = [
            (r(1), String::new()),
            (r(2), String::new()),
            (r(3), String::new()),
        ];
        let still = build(&texts, &pairs, &[], &[]).nearest(0, 5);
        assert_eq!(still[0].other, 1, "ties go to the lower number");
        assert!(still.iter().all(|n| n.people == 0 && n.moved == 0.0));
        let moves = [(r(1), r(3), 30), (r(1), r(2), 10), (r(2), r(1), 99)];
        let moved = build(&texts, &pairs, &moves, &[]).nearest(0, 5);
        assert_eq!(moved[0].other, 2);
        assert_eq!(moved[0].people, 30);
        assert_eq!(moved[0].moved, 0.75);
        let base = SKILLS_SHARE * moved[0].skills + TEXT_SHARE * moved[0].text;
        assert!((moved[0].score - (0.75 * base + 0.25 * 0.75)).abs() < 1e-6);
        assert_eq!(
            (moved[1].other, moved[1].people, moved[1].moved),
            (1, 10, 0.25)
        );
        // Movements into the origin do not count as movements out of it.
        let back = build(&texts, &pairs, &moves, &[]).nearest(1, 5);
        assert_eq!(
            back.iter().find(|n| n.other == 0).map(|n| n.people),
            Some(99)
        );
        assert!(back.iter().all(|n| n.other == 0 || n.people == 0));
    }

    #[test]
    fn with_the_hierarchy_skills_under_one_group_count_a_little() {
        // Role 1 needs skill 10, role 2 skill 11, role 3 skill 12: no skill shared, but 10 and
        // 11 sit under group 7, 12 under group 8.
        let (r, s) = (RoleId, SkillId);
        let pairs = [
            (r(1), s(10), true),
            (r(2), s(11), true),
            (r(3), s(12), true),
        ];
        let texts = [
            (r(1), String::new()),
            (r(2), String::new()),
            (r(3), String::new()),
        ];
        let mut model = build(&texts, &pairs, &[], &[]);
        assert!(
            model.nearest_with(0, 5, true).is_empty(),
            "no hierarchy yet"
        );
        model.set_groups(&[(s(10), 7), (s(11), 7), (s(12), 8), (s(99), 7)]);
        assert!(model.nearest(0, 5).is_empty(), "the hierarchy is optional");
        let near = model.nearest_with(0, 5, true);
        assert_eq!(near.len(), 1, "{near:?}");
        assert_eq!(near[0].other, 1);
        assert_eq!(near[0].groups, Some(1.0));
        assert!((near[0].skills - GROUPS_SHARE).abs() < 1e-6);
        assert!((near[0].score - SKILLS_SHARE * GROUPS_SHARE).abs() < 1e-6);
    }

    #[test]
    fn levels_short_of_the_entry_level_count_in_part() {
        assert_eq!(level_fit(3, 3, 4), 1.0);
        assert_eq!(level_fit(4, 2, 4), 1.0);
        assert_eq!(level_fit(2, 3, 4), 0.75);
        assert_eq!(level_fit(1, 4, 4), 0.25);
        assert_eq!(level_fit(0, 9, 4), 0.0);
    }

    #[test]
    fn levels_lower_coverage_towards_a_more_demanding_role() {
        // Three roles needing the same two essential skills: role 0 up to level 2, role 1 from
        // level 2, role 2 from level 4 (of 4).
        let (r, s) = (RoleId, SkillId);
        let pairs: Vec<(RoleId, SkillId, bool)> = (1..=3)
            .flat_map(|role| [(r(role), s(10), true), (r(role), s(11), true)])
            .collect();
        let level = |role, skill, low, high| rolemap_store::RequirementLevels {
            role: r(role),
            skill: s(skill),
            low,
            high,
            ranks: 4,
        };
        let levels = [
            level(1, 10, 1, 2),
            level(1, 11, 1, 2),
            level(2, 10, 2, 3),
            level(2, 11, 2, 3),
            level(3, 10, 4, 4),
            level(3, 11, 4, 4),
        ];
        let texts = [
            (r(1), String::new()),
            (r(2), String::new()),
            (r(3), String::new()),
        ];
        let model = build(&texts, &pairs, &[], &levels);
        let near = model.nearest(0, 5);
        let peer = near.iter().find(|n| n.other == 1).expect("role 2");
        let senior = near.iter().find(|n| n.other == 2).expect("role 3");
        assert_eq!((peer.coverage, peer.levels), (1.0, Some(1.0)));
        assert_eq!((senior.coverage, senior.levels), (0.5, Some(0.5)));
        assert!(peer.score > senior.score);
        // The same skills without levels: both fully covered.
        let flat = build(&texts, &pairs, &[], &[]).nearest(0, 5);
        assert!(flat.iter().all(|n| n.coverage == 1.0 && n.levels.is_none()));
    }
}
