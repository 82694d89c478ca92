//! The similarity services: the roles most like a given one, in its framework or across, and a
//! role's progression, from the model kept per framework.

use super::model::build;
use super::*;

impl Service {
    /// The `limit` roles of the same framework most like `role` (best first), with the score,
    /// its components, the shared skills and the skills to gain.
    pub async fn similar(
        &self,
        role: &str,
        framework: Option<&str>,
        limit: usize,
    ) -> Result<SimilarRoles> {
        self.similar_with(role, framework, &SimilarOptions::new(limit))
            .await
    }

    /// As [`Service::similar`], with the skills hierarchy and other frameworks if asked.
    pub async fn similar_with(
        &self,
        role: &str,
        framework: Option<&str>,
        options: &SimilarOptions,
    ) -> Result<SimilarRoles> {
        let limit = options.limit;
        if limit == 0 || limit > MAX_NEIGHBOURS {
            return Err(ServiceError::invalid(
                "limit",
                format!("must be 1 to {MAX_NEIGHBOURS}, not {limit}"),
            ));
        }
        let origin = self.role_shared(role, framework).await?;
        // (role, near, through which same-role link).
        let mut near: Vec<(RoleId, Near, Option<String>)> = self
            .nearest_for(&origin, limit, options.hierarchy)
            .await?
            .into_iter()
            .map(|(id, n)| (id, n, None))
            .collect();
        if options.across {
            for link in &origin.links {
                if link.kind != rolemap_core::LinkKind::Equivalent
                    || link.other.framework_key == origin.framework_key
                {
                    continue;
                }
                let linked = self.role_by_id(link.other.id).await?;
                let through = format!(
                    "through {} ({}), the same kind of role",
                    linked.title, linked.framework_key
                );
                near.push((
                    linked.id,
                    Near {
                        score: ACROSS_SHARE,
                        ..Near::empty(u32::MAX)
                    },
                    Some("the same kind of role, as its framework says".to_owned()),
                ));
                for (id, mut n) in self.nearest_for(&linked, limit, options.hierarchy).await? {
                    n.score *= ACROSS_SHARE;
                    near.push((id, n, Some(through.clone())));
                }
            }
            // Roles of other frameworks sharing skills by label (ESCO's own labels, which its
            // extracts and ESCO itself both carry).
            let mut others: Vec<String> = self
                .store
                .frameworks()
                .await?
                .into_iter()
                .map(|f| f.key)
                .filter(|key| *key != origin.framework_key)
                .collect();
            others.sort();
            others.dedup();
            for framework in others {
                let model = self.similarity_model(&framework).await?;
                for s in model.compare_elsewhere(&origin).into_iter().take(limit) {
                    let Some(&id) = model.roles.get(s.other as usize) else {
                        continue;
                    };
                    near.push((
                        id,
                        Near {
                            score: SKILLS_SHARE * s.score,
                            skills: s.score,
                            cosine: s.cosine,
                            jaccard: s.jaccard,
                            coverage: s.coverage,
                            ..Near::empty(s.other)
                        },
                        Some(format!(
                            "{} skill{} with the same label in both frameworks or mapped",
                            s.shared,
                            if s.shared == 1 { "" } else { "s" }
                        )),
                    ));
                }
            }
            // Each role once, at its best score; the origin never.
            near.retain(|(id, _, _)| *id != origin.id);
            near.sort_by(|a, b| {
                b.1.score
                    .total_cmp(&a.1.score)
                    .then(a.0.cmp(&b.0))
                    .then(a.2.is_some().cmp(&b.2.is_some()))
            });
            let mut seen = HashSet::new();
            near.retain(|(id, _, _)| seen.insert(*id));
            near.truncate(limit);
        }
        let held: HashSet<SkillId> = origin.requirements.iter().map(|r| r.skill.id).collect();
        let held_labels: HashSet<String> = origin
            .requirements
            .iter()
            .map(|r| r.skill.label.trim().to_lowercase())
            .collect();
        // Skills of other frameworks mapped (exact or close) to one the origin requires.
        let held_mapped: HashSet<SkillId> = if options.across {
            self.store
                .mappings()
                .await?
                .into_iter()
                .filter(|m| m.kind.same_skill())
                .filter_map(|m| {
                    if held.contains(&m.from) {
                        Some(m.to)
                    } else if held.contains(&m.to) {
                        Some(m.from)
                    } else {
                        None
                    }
                })
                .collect()
        } else {
            HashSet::new()
        };
        let mut neighbours = Vec::new();
        for (id, near, through) in near {
            let other = self.role_by_id(id).await?;
            let (shared, to_gain) = if other.framework_key == origin.framework_key {
                explain(&held, &other)
            } else {
                explain_by_label(&held_labels, &held_mapped, &other)
            };
            neighbours.push(Neighbour::new(
                &origin, other, &near, through, shared, to_gain,
            ));
        }
        Ok(SimilarRoles {
            role: origin,
            neighbours,
            hierarchy: options.hierarchy,
            across: options.across,
        })
    }

    /// The `limit` roles of `origin`'s framework nearest it: from the kept lists, or with the
    /// skills hierarchy compared afresh.
    async fn nearest_for(
        &self,
        origin: &Role,
        limit: usize,
        hierarchy: bool,
    ) -> Result<Vec<(RoleId, Near)>> {
        if !hierarchy {
            return self.nearest_roles(origin, limit).await;
        }
        let model = self.similarity_model(&origin.framework_key).await?;
        let Some(&number) = model.index.get(&origin.id) else {
            return self.nearest_roles(origin, limit).await;
        };
        Ok(model
            .nearest_with(number, limit, true)
            .into_iter()
            .filter_map(|n| Some((*model.roles.get(n.other as usize)?, n)))
            .collect())
    }

    /// The progression map of a role: the roles most like it (as [`Service::similar`]) and the
    /// roles its framework links it to, each marked as a step up, sideways or down.
    pub async fn progression(
        &self,
        role: &str,
        framework: Option<&str>,
        limit: usize,
    ) -> Result<SimilarRoles> {
        let mut map = self.similar(role, framework, limit).await?;
        let origin = Arc::clone(&map.role);
        let held: HashSet<SkillId> = origin.requirements.iter().map(|r| r.skill.id).collect();
        for link in &origin.links {
            if map.neighbours.iter().any(|n| n.role.id == link.other.id) {
                continue;
            }
            let other = self.role_by_id(link.other.id).await?;
            let (shared, to_gain) = explain(&held, &other);
            let near = Near::empty(u32::MAX);
            map.neighbours
                .push(Neighbour::new(&origin, other, &near, None, shared, to_gain));
        }
        // What a person weighs a move by: the cheapest route there, which a step up makes
        // cheapest (see `routes`), not the similarity alone.
        let roles: Vec<Arc<Role>> = map.neighbours.iter().map(|n| Arc::clone(&n.role)).collect();
        let reach = self.reach(&origin, &roles).await?;
        for (neighbour, reach) in map.neighbours.iter_mut().zip(reach) {
            neighbour.route = reach;
        }
        Ok(map)
    }

    /// The similarity model of a framework's latest version, built once per generation.
    pub(crate) async fn similarity_model(&self, framework: &str) -> Result<Arc<Model>> {
        let generation = self.store.frameworks_generation().await?;
        if let Ok(current) = self.similarity.current.read()
            && let Some((built_for, models)) = &*current
            && *built_for == generation
            && let Some(model) = models.get(framework)
        {
            return Ok(Arc::clone(model));
        }
        let pairs = self.store.requirement_pairs(framework).await?;
        let texts: Vec<(RoleId, String)> = self
            .store
            .role_texts(framework)
            .await?
            .into_iter()
            .map(|t| {
                let mut text = t.label;
                for alternative in t.alternative {
                    text.push_str(". ");
                    text.push_str(&alternative);
                }
                text.push_str(". ");
                text.push_str(&t.description);
                (RoleId(t.id), text)
            })
            .collect();
        let moves = self.store.transitions(framework).await?;
        let levels = self.store.requirement_levels(framework).await?;
        let groups = self.store.skill_groups(framework).await?;
        let labels = self.store.skill_labels(framework).await?;
        let mappings = self.store.mappings().await?;
        let model = Arc::new(
            tokio::task::spawn_blocking(move || {
                let mut model = build(&texts, &pairs, &moves, &levels);
                model.set_groups(&groups);
                model.set_labels(&labels);
                model.set_mappings(&mappings);
                model
            })
            .await
            .map_err(|e| ServiceError::Internal(format!("building similarity: {e}")))?,
        );
        if let Ok(mut current) = self.similarity.current.write() {
            match &mut *current {
                Some((built_for, models)) if *built_for == generation => {
                    models.insert(framework.to_owned(), Arc::clone(&model));
                }
                _ => {
                    *current = Some((
                        generation,
                        HashMap::from([(framework.to_owned(), Arc::clone(&model))]),
                    ));
                }
            }
        }
        Ok(model)
    }
}
