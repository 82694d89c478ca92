//! `rolemap map`: suggested mappings between the concepts of two frameworks (their skills, and
//! the duty statements of their roles) and the skills of another, scored by
//! [`rolemap_text::crosswalk`]; and `rolemap map apply`, which stores the mappings a reviewer
//! accepted, so that similarity across frameworks counts mapped skills as the same skill; and the
//! review of suggestions on a page: each with its decision, accepted or rejected one at a time.

use std::collections::{HashMap, HashSet};

use rolemap_core::{Mapping, MappingKind, Role, RoleId, SkillId};
use rolemap_text::{CrosswalkBuilder, MatchKind};

use crate::{InputFile, Result, Service, ServiceError};

/// The most suggestions per concept one question may ask for.
pub const MAX_PER_CONCEPT: usize = 50;

/// Which concepts of the first framework are mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CrosswalkConcepts {
    /// Its skills.
    #[default]
    Skills,
    /// The duty statements of its roles, each keyed `role-key#number`.
    Duties,
    /// Both.
    All,
}

/// How a crosswalk is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrosswalkOptions {
    pub concepts: CrosswalkConcepts,
    /// Suggestions below this confidence are left out.
    pub min_confidence: f32,
    pub limit_per_concept: usize,
}

impl Default for CrosswalkOptions {
    fn default() -> Self {
        CrosswalkOptions {
            concepts: CrosswalkConcepts::Skills,
            min_confidence: 0.2,
            limit_per_concept: 3,
        }
    }
}

/// One suggested mapping, a row of the reviewable CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingSuggestion {
    pub from_framework: String,
    /// A skill's key, or `role-key#duty-number` for a duty statement.
    pub from_key: String,
    /// A skill's preferred label, or the duty statement.
    pub from_label: String,
    pub to_framework: String,
    pub to_key: String,
    pub to_label: String,
    pub kind: MappingKind,
    pub confidence: f32,
    /// The words of the first concept the suggestion rests on, rarest first.
    pub why: Vec<String>,
}

/// Where a suggestion stands with reviewers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Not decided.
    Open,
    /// A mapping of the pair is stored, that way round.
    Accepted,
    /// Rejected on review.
    Rejected,
}

impl Review {
    /// The word the reviewed CSV's decision column holds: "accept", "reject" or empty.
    pub fn decision(self) -> &'static str {
        match self {
            Review::Open => "",
            Review::Accepted => "accept",
            Review::Rejected => "reject",
        }
    }
}

/// A suggestion with its review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewedSuggestion {
    pub suggestion: MappingSuggestion,
    pub review: Review,
}

/// A reviewer's decision on one suggested mapping between two skills, named by key.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionDecision {
    pub from_key: String,
    pub to_key: String,
    pub kind: MappingKind,
    /// In [0, 1].
    pub confidence: f32,
    pub accept: bool,
}

/// What applying a reviewed file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppliedMappings {
    /// Accepted rows stored (new or restated).
    pub applied: usize,
    /// Rows without an accepting decision, left out.
    pub ignored: usize,
}

fn kind_of(kind: MatchKind) -> MappingKind {
    match kind {
        MatchKind::Exact => MappingKind::Exact,
        MatchKind::Close => MappingKind::Close,
        MatchKind::Related => MappingKind::Related,
    }
}

impl Service {
    /// Where `a` and `b` belong to different frameworks, gives each of `b`'s required skills
    /// that a reviewed mapping (exact or close, either way round) makes the same as one `a`
    /// requires the id of `a`'s skill, so that comparing them counts it as shared.
    pub(crate) async fn align_mapped_skills(&self, a: &Role, b: &mut Role) -> Result<()> {
        if a.framework_key == b.framework_key {
            return Ok(());
        }
        let held: HashSet<SkillId> = a.requirements.iter().map(|r| r.skill.id).collect();
        let mut same: HashMap<SkillId, SkillId> = HashMap::new();
        for m in self.store.mappings().await? {
            if !m.kind.same_skill() {
                continue;
            }
            if held.contains(&m.from) {
                same.entry(m.to).or_insert(m.from);
            } else if held.contains(&m.to) {
                same.entry(m.from).or_insert(m.to);
            }
        }
        let required: HashSet<SkillId> = b.requirements.iter().map(|r| r.skill.id).collect();
        for requirement in &mut b.requirements {
            if let Some(&own) = same.get(&requirement.skill.id)
                && !required.contains(&own)
            {
                requirement.skill.id = own;
            }
        }
        Ok(())
    }

    async fn known_framework(&self, key: &str) -> Result<()> {
        let frameworks = self.store.frameworks().await?;
        if frameworks.iter().any(|f| f.key == key) {
            return Ok(());
        }
        let mut suggestions: Vec<String> = frameworks.into_iter().map(|f| f.key).collect();
        suggestions.sort();
        suggestions.dedup();
        Err(ServiceError::NotFound {
            what: "framework",
            name: key.to_owned(),
            suggestions,
        })
    }

    /// For each concept of framework `from` (its skills, its roles' duty statements, or both),
    /// the skills of framework `to` most like it: ordered by concept (skills by key, then duties
    /// by role key and number), then best first.
    pub async fn suggest_mappings(
        &self,
        from: &str,
        to: &str,
        options: CrosswalkOptions,
    ) -> Result<Vec<MappingSuggestion>> {
        if !(0.0..=1.0).contains(&options.min_confidence) {
            return Err(ServiceError::invalid(
                "min-confidence",
                format!("must be 0 to 1, not {}", options.min_confidence),
            ));
        }
        if options.limit_per_concept == 0 || options.limit_per_concept > MAX_PER_CONCEPT {
            return Err(ServiceError::invalid(
                "limit-per-concept",
                format!(
                    "must be 1 to {MAX_PER_CONCEPT}, not {}",
                    options.limit_per_concept
                ),
            ));
        }
        self.known_framework(from).await?;
        self.known_framework(to).await?;
        let targets = self.store.skill_texts(to).await?;
        // (key, label, description) of each concept of `from`.
        let mut queries: Vec<(String, String, String)> = Vec::new();
        if options.concepts != CrosswalkConcepts::Duties {
            for (_, key, label, description) in self.store.skill_texts(from).await? {
                queries.push((key, label, description));
            }
        }
        if options.concepts != CrosswalkConcepts::Skills {
            let mut roles = self.store.role_texts(from).await?;
            roles.sort_by(|a, b| a.key.cmp(&b.key).then(a.id.cmp(&b.id)));
            for text in roles {
                let role = self.store.role(RoleId(text.id)).await?;
                let mut duties = role.duties.clone();
                duties.sort_by_key(|d| d.number);
                for duty in duties {
                    queries.push((
                        format!("{}#{}", role.key, duty.number),
                        duty.text.clone(),
                        String::new(),
                    ));
                }
            }
        }
        let limit = options.limit_per_concept;
        let min_confidence = options.min_confidence;
        let found = tokio::task::spawn_blocking(move || {
            let mut builder = CrosswalkBuilder::new();
            for (i, (_, _, label, description)) in targets.iter().enumerate() {
                builder.target(i as u32, label, description);
            }
            let crosswalk = builder.build();
            let asked: Vec<(&str, &str)> = queries
                .iter()
                .map(|(_, label, description)| (label.as_str(), description.as_str()))
                .collect();
            let found = crosswalk.suggest_all(&asked, limit, min_confidence);
            (queries, targets, found)
        })
        .await
        .map_err(|e| ServiceError::Internal(format!("suggesting mappings: {e}")))?;
        let (queries, targets, found) = found;
        let mut out = Vec::new();
        for ((key, label, _), suggestions) in queries.iter().zip(found) {
            for s in suggestions {
                let Some((_, to_key, to_label, _)) = targets.get(s.target as usize) else {
                    continue;
                };
                out.push(MappingSuggestion {
                    from_framework: from.to_owned(),
                    from_key: key.clone(),
                    from_label: label.clone(),
                    to_framework: to.to_owned(),
                    to_key: to_key.clone(),
                    to_label: to_label.clone(),
                    kind: kind_of(s.kind),
                    confidence: s.confidence,
                    why: s.shared,
                });
            }
        }
        Ok(out)
    }

    /// Reads a reviewed mappings file (see [`rolemap_formats::mappings`]), resolves both skills
    /// of every accepted row by framework and key, and stores them in one transaction; any
    /// problem (an unknown framework or key, a duty statement, a bad type or confidence) is
    /// reported with its file, line and column, and nothing is stored.
    pub async fn apply_mappings(
        &self,
        file: &InputFile,
        actor: &rolemap_store::Actor,
        now: &str,
    ) -> Result<AppliedMappings> {
        let read =
            rolemap_formats::read_mappings(&file.text, &file.name).map_err(ServiceError::Import)?;
        let mut problems = Vec::new();
        let mut mappings = Vec::with_capacity(read.accepted.len());
        let mut known: HashMap<(String, String), Option<SkillId>> = HashMap::new();
        let frameworks: Vec<String> = self
            .store
            .frameworks()
            .await?
            .into_iter()
            .map(|f| f.key)
            .collect();
        for row in &read.accepted {
            let mut ends = [None, None];
            for (slot, (field, framework, key, column)) in ends.iter_mut().zip([
                (
                    "from_key",
                    &row.from_framework,
                    &row.from_key,
                    row.from_column,
                ),
                ("to_key", &row.to_framework, &row.to_key, row.to_column),
            ]) {
                let id = match known.get(&(framework.clone(), key.clone())) {
                    Some(id) => *id,
                    None => {
                        let id = self.store.skill_by_key(framework, key).await?;
                        known.insert((framework.clone(), key.clone()), id);
                        id
                    }
                };
                let problem = |code, message: String| rolemap_formats::Diagnostic {
                    file: file.name.clone(),
                    line: row.line,
                    column,
                    field: field.to_owned(),
                    code,
                    message,
                };
                match id {
                    Some(id) => *slot = Some(id),
                    None if !frameworks.contains(framework) => problems.push(problem(
                        "unknown-framework",
                        format!("no framework '{framework}'"),
                    )),
                    None if key.contains('#') => problems.push(problem(
                        "duty-mapping",
                        format!(
                            "'{framework}:{key}' is a duty statement: only mappings between \
                             skills can be applied (write the skill it maps to in '{field}')"
                        ),
                    )),
                    None => problems.push(problem(
                        "unknown-skill",
                        format!("no skill '{key}' in framework '{framework}'"),
                    )),
                }
            }
            if let [Some(from), Some(to)] = ends {
                if from == to {
                    problems.push(rolemap_formats::Diagnostic {
                        file: file.name.clone(),
                        line: row.line,
                        column: row.to_column,
                        field: "to_key".to_owned(),
                        code: "same-skill",
                        message: "a skill mapped to itself".to_owned(),
                    });
                }
                mappings.push(Mapping {
                    from,
                    to,
                    kind: row.kind,
                    confidence: row.confidence,
                });
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Import(rolemap_formats::Diagnostics(problems)));
        }
        let applied = if mappings.is_empty() {
            0
        } else {
            self.store
                .apply_mappings(&mappings, &file.name, actor, now)
                .await?
        };
        Ok(AppliedMappings {
            applied,
            ignored: read.ignored,
        })
    }
}

impl Service {
    /// The suggestions for the skills of `from` to the skills of `to`, each with its review: a
    /// stored mapping of the pair (that way round) accepts it, and the suggestion then carries
    /// the type the reviewer stored; a stored rejection rejects it.
    pub async fn review_suggestions(
        &self,
        from: &str,
        to: &str,
        options: CrosswalkOptions,
    ) -> Result<Vec<ReviewedSuggestion>> {
        let suggestions = self
            .suggest_mappings(
                from,
                to,
                CrosswalkOptions {
                    concepts: CrosswalkConcepts::Skills,
                    ..options
                },
            )
            .await?;
        let ids = |texts: Vec<(SkillId, String, String, String)>| -> HashMap<String, SkillId> {
            texts.into_iter().map(|(id, key, _, _)| (key, id)).collect()
        };
        let from_ids = ids(self.store.skill_texts(from).await?);
        let to_ids = ids(self.store.skill_texts(to).await?);
        let mapped: HashMap<(SkillId, SkillId), MappingKind> = self
            .store
            .mappings()
            .await?
            .into_iter()
            .map(|m| ((m.from, m.to), m.kind))
            .collect();
        let rejected: HashSet<(SkillId, SkillId)> =
            self.store.mapping_rejections().await?.into_iter().collect();
        Ok(suggestions
            .into_iter()
            .map(|mut suggestion| {
                let pair = from_ids
                    .get(&suggestion.from_key)
                    .zip(to_ids.get(&suggestion.to_key))
                    .map(|(a, b)| (*a, *b));
                let review = match pair {
                    Some(pair) => match mapped.get(&pair) {
                        Some(kind) => {
                            suggestion.kind = *kind;
                            Review::Accepted
                        }
                        None if rejected.contains(&pair) => Review::Rejected,
                        None => Review::Open,
                    },
                    None => Review::Open,
                };
                ReviewedSuggestion { suggestion, review }
            })
            .collect())
    }

    /// Stores decisions on suggestions from the skills of `from` to those of `to`, all or none:
    /// an accepted one as a mapping (`source` says where it was decided), a rejected one as
    /// rejected. A key no skill of its framework has is refused, naming it.
    pub async fn decide_mappings(
        &self,
        from: &str,
        to: &str,
        decisions: &[SuggestionDecision],
        source: &str,
        actor: &rolemap_store::Actor,
        now: &str,
    ) -> Result<usize> {
        self.known_framework(from).await?;
        self.known_framework(to).await?;
        let mut stored = Vec::with_capacity(decisions.len());
        for d in decisions {
            if !(0.0..=1.0).contains(&d.confidence) {
                return Err(ServiceError::invalid(
                    "confidence",
                    format!("must be 0 to 1, not {}", d.confidence),
                ));
            }
            let mut ends = [SkillId(0); 2];
            for (slot, (framework, key)) in
                ends.iter_mut().zip([(from, &d.from_key), (to, &d.to_key)])
            {
                *slot = self
                    .store
                    .skill_by_key(framework, key)
                    .await?
                    .ok_or_else(|| {
                        ServiceError::invalid(
                            "decision",
                            format!("no skill '{key}' in framework '{framework}'"),
                        )
                    })?;
            }
            let [from_skill, to_skill] = ends;
            if from_skill == to_skill {
                return Err(ServiceError::invalid(
                    "decision",
                    format!("'{}' is mapped to itself", d.from_key),
                ));
            }
            stored.push(if d.accept {
                rolemap_store::MappingDecision::Accept(Mapping {
                    from: from_skill,
                    to: to_skill,
                    kind: d.kind,
                    confidence: d.confidence,
                })
            } else {
                rolemap_store::MappingDecision::Reject {
                    from: from_skill,
                    to: to_skill,
                }
            });
        }
        if stored.is_empty() {
            return Ok(0);
        }
        Ok(self
            .store
            .decide_mappings(&stored, source, actor, now)
            .await?)
    }
}
