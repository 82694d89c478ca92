//! A found route explained: a person's held levels and readiness, and each step's reasons.

use super::*;

impl Service {
    /// A person's current level in each skill they hold: (rank, code).
    pub(super) async fn held_levels(
        &self,
        person: &Person,
    ) -> Result<HashMap<SkillId, (u8, String)>> {
        let history = self.store.assessments(person.id).await?;
        Ok(rolemap_core::person::current_levels(&history)
            .into_iter()
            // Assessed as not held ("none"): nothing to carry to another role.
            .filter(|(_, held)| !held.current.level.is_none())
            .map(|(skill, held)| {
                (
                    skill,
                    (
                        held.current.level.rank(),
                        held.current.level.code().to_owned(),
                    ),
                )
            })
            .collect())
    }

    /// A person's readiness for every role of the space, as their gap report for the role gives
    /// it. Where a framework sets levels (a few graded roles), each role's gap report is worked
    /// out; where it sets none, a requirement counts in full once the skill is held, directly or
    /// through an accepted exact or close mapping, which is what the gap report would find, so
    /// a framework of thousands of roles is not read role by role.
    pub(super) async fn readiness(
        &self,
        space: &Space,
        person: &Person,
        held: &HashMap<SkillId, (u8, String)>,
    ) -> Result<Vec<Option<f64>>> {
        let mut ready = vec![None; space.roles.len()];
        let assessments = self.assessments_of(person.id).await?;
        let mappings = self.store.mappings().await?;
        let mut covered: HashSet<SkillId> = held.keys().copied().collect();
        for m in mappings.iter().filter(|m| m.kind.same_skill()) {
            if held.contains_key(&m.from) {
                covered.insert(m.to);
            }
            if held.contains_key(&m.to) {
                covered.insert(m.from);
            }
        }
        for framework in &space.frameworks {
            let model = self.similarity_model(framework).await?;
            let skill_ids: HashMap<u32, SkillId> =
                model.skills.iter().map(|(&id, &n)| (n, id)).collect();
            for (n, id) in model.roles.iter().enumerate() {
                let Some(&slot) = space.index.get(id) else {
                    continue;
                };
                ready[slot as usize] = if model.levels.is_empty() {
                    let (mut earned, mut possible) = (0.0, 0.0);
                    for (skill, essential) in model.skills_of(n as u32) {
                        let weight = if essential { 1.0 } else { 0.5 };
                        possible += weight;
                        if skill_ids.get(&skill).is_some_and(|s| covered.contains(s)) {
                            earned += weight;
                        }
                    }
                    rolemap_core::gap::readiness(earned, possible)
                } else {
                    let role = self.role_by_id(*id).await?;
                    self.gap_report(person, &role, None, &assessments, Some(&mappings))
                        .await?
                        .readiness
                };
            }
        }
        Ok(ready)
    }

    /// Each step of a route, with what it asks: the skills met on the way (the start role's,
    /// or the person's, then each role passed through) against the next role's requirements.
    pub(super) async fn explain_route(
        &self,
        space: &Space,
        graph: &Graph,
        nodes: &[u32],
        start: Start<'_>,
        readiness: Option<&[Option<f64>]>,
        climbing: Climbing<'_>,
    ) -> Result<FoundRoute> {
        // Skill → (rank, code) of the highest level met so far (rank 0: no level known).
        let mut met: HashMap<SkillId, (u8, String)> = HashMap::new();
        match start.held {
            Some(held) => met.extend(held.iter().map(|(&s, l)| (s, l.clone()))),
            None => meet(&mut met, start.role),
        }
        // The names of the skills met so far (lower case, as published: shown labels carry what
        // tells namesakes apart) → the skill and its kind.
        let qualifiers = self.qualifiers().await?;
        let published =
            |id: SkillId, label: &str| crate::labels::published_name(&qualifiers, id, label);
        let mut names: HashMap<String, (SkillId, &'static str)> = start
            .names
            .iter()
            .map(|(&id, (label, kind))| (published(id, label), (id, *kind)))
            .collect();
        let mut steps = Vec::new();
        let mut total = 0.0;
        let mut previous = Arc::new(start.role.clone());
        for pair in nodes.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let role = self.role_by_id(space.roles[b as usize]).await?;
            let (similarity, links) = space
                .steps
                .get(&(a, b))
                .cloned()
                .unwrap_or((0.0, Vec::new()));
            let change = space.change(a, b);
            let mut via = Vec::new();
            let likeness = space.likeness.get(&(a, b));
            if let Some(like) = likeness {
                let before: HashSet<SkillId> =
                    previous.requirements.iter().map(|r| r.skill.id).collect();
                let common = role
                    .requirements
                    .iter()
                    .filter(|r| before.contains(&r.skill.id))
                    .count();
                via.extend(alike(common, role.requirements.len(), like));
            }
            if let Some(link) = link_between(&previous, &role) {
                via.push(format!("{link} (named by the framework)"));
            } else if !links.is_empty() {
                via.push("a link the framework names".to_owned());
            }
            let alone = likeness.map_or(0.0, |l| l.score);
            if !links.is_empty() && similarity > alone {
                via.push(format!(
                    "score {similarity:.2}, the least a named link scores ({alone:.2} from skills and texts alone)"
                ));
            }
            if change == Change::Down {
                via.push(match climbing.routes {
                    0 => format!(
                        "a step down: no route of at most {} steps reaches {} without one",
                        climbing.max_steps, climbing.to
                    ),
                    n => format!(
                        "a step down: shown after the {n} route{} that only move up or sideways",
                        if n == 1 { "" } else { "s" }
                    ),
                });
            }
            let held: HashSet<SkillId> = met.keys().copied().collect();
            let (shared, gains) = explain(&held, &role);
            let mut to_gain = Vec::new();
            let mut namesakes = Vec::new();
            for (label, essential) in gains {
                let requirement = role.requirements.iter().find(|r| r.skill.label == label);
                let name = requirement.map_or_else(
                    || label.trim().to_lowercase(),
                    |r| published(r.skill.id, &label),
                );
                match (requirement, names.get(&name)) {
                    (Some(r), Some(&(other, met_kind))) if other != r.skill.id => {
                        namesakes.push(Namesake {
                            skill: crate::labels::published_label(&qualifiers, r.skill.id, &label),
                            kind: r.skill.kind.as_str(),
                            essential,
                            met_kind,
                            met_level: start
                                .held
                                .and_then(|h| h.get(&other))
                                .map(|(_, code)| code.clone())
                                .filter(|code| !code.is_empty()),
                        });
                    }
                    _ => to_gain.push((label, essential)),
                }
            }
            let raise = role
                .requirements
                .iter()
                .filter_map(|r| {
                    let (have, code) = met.get(&r.skill.id)?;
                    let need = entry_level(r)?;
                    (*have > 0 && need.rank() > *have).then(|| LevelRaise {
                        skill: r.skill.label.clone(),
                        from: code.clone(),
                        to: need.code().to_owned(),
                    })
                })
                .collect();
            let cost = graph.step_cost(a, b).unwrap_or(0) as f32 / 1000.0;
            total += cost;
            steps.push(RouteStep {
                change,
                similarity,
                readiness: readiness.and_then(|r| r[b as usize]),
                via,
                shared,
                to_gain,
                namesakes,
                raise,
                cost,
                role: Arc::clone(&role),
            });
            meet(&mut met, &role);
            for r in &role.requirements {
                names
                    .entry(published(r.skill.id, &r.skill.label))
                    .or_insert((r.skill.id, r.skill.kind.as_str()));
            }
            previous = role;
        }
        Ok(FoundRoute { steps, cost: total })
    }
}

/// The reasons a listed neighbour is a step, in its numbers: the role's skills the role before
/// requires, how alike their titles and descriptions are, the people seen moving.
fn alike(common: usize, total: usize, like: &Likeness) -> Vec<String> {
    let mut reasons = Vec::new();
    // Below this the texts share little more than a word or two: not "similar".
    const ALIKE_TEXT: f32 = 0.2;
    let alike_text = like.text >= ALIKE_TEXT;
    // "Similar skills" only where the role before requires half of them or more.
    let similar_skills = common > 0 && common * 2 >= total;
    let texts = format!("titles and descriptions alike {:.2}", like.text);
    reasons.push(match (common, similar_skills, alike_text) {
        (0, _, _) if like.text > 0.0 => format!("no skills in common ({texts})"),
        (0, _, _) => "no skills in common".to_owned(),
        (n, true, true) => format!(
            "similar skills and duties: {n} of its {total} skills in common, text {:.2}",
            like.text
        ),
        (n, true, false) => format!("similar skills: {n} of its {total} skills in common"),
        (n, false, _) if like.text > 0.0 => format!("{n} of its {total} skills in common; {texts}"),
        (n, false, _) => format!("{n} of its {total} skills in common"),
    });
    if like.moved > 0.0 {
        reasons.push(format!(
            "{:.0}% of the people seen moving on went to it",
            like.moved * 100.0
        ));
    }
    reasons
}

/// Adds a role's skills to those met on a route, at the role's top levels.
fn meet(met: &mut HashMap<SkillId, (u8, String)>, role: &Role) {
    for r in &role.requirements {
        let (rank, code) =
            top_level(r).map_or((0, String::new()), |l| (l.rank(), l.code().to_owned()));
        let entry = met.entry(r.skill.id).or_insert((0, String::new()));
        if rank > entry.0 {
            *entry = (rank, code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steps_reasons_quote_its_numbers() {
        let like = |text| Likeness {
            score: 0.5,
            text,
            moved: 0.0,
        };
        assert_eq!(
            alike(0, 7, &like(0.153)),
            ["no skills in common (titles and descriptions alike 0.15)"]
        );
        assert_eq!(alike(0, 7, &like(0.0)), ["no skills in common"]);
        assert_eq!(
            alike(5, 5, &like(0.544)),
            ["similar skills and duties: 5 of its 5 skills in common, text 0.54"]
        );
        assert_eq!(
            alike(13, 179, &like(0.27)),
            ["13 of its 179 skills in common; titles and descriptions alike 0.27"]
        );
        assert_eq!(
            alike(3, 6, &like(0.05)),
            ["similar skills: 3 of its 6 skills in common"]
        );
        let moved = Likeness {
            moved: 0.25,
            ..like(0.3)
        };
        assert_eq!(
            alike(1, 3, &moved)[1],
            "25% of the people seen moving on went to it"
        );
    }
}
