//! Skills in free text: the extractor of [`rolemap_text`] built from the stored skills' labels
//! (preferred, alternative, hidden) and descriptions, for one framework or all, kept for one
//! frameworks generation; and the gap between a text (a CV, an advert) and a role.

use std::collections::HashMap;
use std::sync::Arc;

use rolemap_core::{Importance, Role, SkillId};
use rolemap_store::{ConceptKind, ConceptText};
use rolemap_text::{Extraction, Extractor, ExtractorBuilder, LabelKind, Scratch, Signal, Signals};

use crate::{Result, Service, ServiceError};

/// A stored skill as extraction reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillInfo {
    pub id: SkillId,
    pub framework: String,
    pub key: String,
    /// The preferred label.
    pub label: String,
}

/// One mention of a skill in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillMention {
    pub skill: Arc<SkillInfo>,
    /// Character offsets into the text (end exclusive).
    pub start: usize,
    pub end: usize,
    /// The text at those offsets.
    pub text: String,
    /// The label matched, or for a paraphrase the label its words cover.
    pub matched: String,
    /// "preferred", "alternative" or "hidden".
    pub label_kind: &'static str,
    /// "label", "phrase" or "paraphrase".
    pub signal: &'static str,
    /// For a paraphrase, the words of the text that led to it.
    pub words: Vec<String>,
    /// Inside a negation ("no budget responsibility"): reported, not counted.
    pub negated: bool,
    pub confidence: f32,
    /// In a text gap, set when the mention is of another skill that an accepted mapping makes
    /// the required one: "exact" or "close".
    pub mapped: Option<&'static str>,
}

/// A skill the text evidences: its mentions that are not negated, summed up.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedSkill {
    pub skill: Arc<SkillInfo>,
    pub mentions: usize,
    /// The highest confidence of its mentions.
    pub confidence: f32,
    /// The signals that found it, label first.
    pub signals: Vec<&'static str>,
}

/// What a text mentions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExtractReport {
    /// Every skill the text evidences, most confident first, then by label.
    pub skills: Vec<ExtractedSkill>,
    /// Every mention, negated ones included, in text order.
    pub mentions: Vec<SkillMention>,
}

/// An extractor over stored skills, ready to use on any number of threads.
#[derive(Debug)]
pub struct SkillExtractor {
    extractor: Extractor,
    /// Skill number (as the extractor knows it) to skill.
    skills: Vec<Arc<SkillInfo>>,
}

impl SkillExtractor {
    /// Builds an extractor from stored skill texts.
    pub fn build(texts: &[ConceptText]) -> Result<SkillExtractor> {
        let mut builder = ExtractorBuilder::new();
        let mut skills = Vec::new();
        for text in texts.iter().filter(|t| t.kind == ConceptKind::Skill) {
            let number = skills.len() as u32;
            skills.push(Arc::new(SkillInfo {
                id: SkillId(text.id),
                framework: text.framework_key.clone(),
                key: text.key.clone(),
                label: text.label.clone(),
            }));
            builder.label(number, &text.label, LabelKind::Preferred);
            for label in &text.alternative {
                builder.label(number, label, LabelKind::Alternative);
            }
            for label in &text.hidden {
                builder.label(number, label, LabelKind::Hidden);
            }
            builder.description(number, &text.description);
            builder.prior(number, reuse_prior(text.reuse));
        }
        let extractor = builder
            .build()
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        Ok(SkillExtractor { extractor, skills })
    }

    /// Names the skills whose label another of their framework shares as every answer does
    /// ("Data and insight (core skill)"); matching still reads the labels as published.
    fn show_labels(&mut self, qualifiers: &crate::labels::Qualifiers) {
        for skill in &mut self.skills {
            if let Some(qualifier) = qualifiers.get(&skill.id) {
                let mut shown = SkillInfo::clone(skill);
                shown.label = rolemap_core::label::shown(&skill.label, qualifier);
                *skill = Arc::new(shown);
            }
        }
    }

    /// How many skills it knows.
    pub fn skill_count(&self) -> usize {
        self.skills.len()
    }

    /// The skills `text` mentions.
    pub fn extract(&self, text: &str, paraphrase: bool) -> ExtractReport {
        self.extract_with(&mut Scratch::default(), text, paraphrase)
    }

    /// As [`SkillExtractor::extract`], reusing one thread's buffers.
    pub fn extract_with(
        &self,
        scratch: &mut Scratch,
        text: &str,
        paraphrase: bool,
    ) -> ExtractReport {
        let signals = if paraphrase {
            Signals::ALL
        } else {
            Signals::LABELS
        };
        self.extract_signals(scratch, text, signals)
    }

    /// The skills `text` mentions, by the signals given.
    pub fn extract_signals(
        &self,
        scratch: &mut Scratch,
        text: &str,
        signals: Signals,
    ) -> ExtractReport {
        let extraction = self.extractor.extract_with(scratch, text, signals);
        self.report(text, &extraction)
    }

    /// Many texts on all cores, in order.
    pub fn extract_all<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        paraphrase: bool,
    ) -> Vec<ExtractReport> {
        use rayon::prelude::*;
        // A few large chunks per thread, each with one scratch (whose caches warm up as it goes).
        let chunk = (texts.len() / (rayon::current_num_threads() * 4)).max(64);
        let parts: Vec<Vec<ExtractReport>> = texts
            .par_chunks(chunk)
            .map(|part| {
                let mut scratch = Scratch::default();
                part.iter()
                    .map(|text| self.extract_with(&mut scratch, text.as_ref(), paraphrase))
                    .collect()
            })
            .collect();
        parts.into_iter().flatten().collect()
    }

    fn report(&self, text: &str, extraction: &Extraction) -> ExtractReport {
        let mut mentions = Vec::with_capacity(extraction.hits.len());
        for hit in &extraction.hits {
            let Some(skill) = self.skills.get(hit.skill as usize) else {
                continue;
            };
            mentions.push(SkillMention {
                skill: Arc::clone(skill),
                start: hit.start,
                end: hit.end,
                text: text
                    .get(hit.byte_start..hit.byte_end)
                    .unwrap_or("")
                    .to_owned(),
                matched: self.extractor.label(hit.label).to_owned(),
                label_kind: hit.kind.as_str(),
                signal: hit.signal.as_str(),
                words: hit
                    .words
                    .iter()
                    .map(|&(s, e)| text.get(s..e).unwrap_or("").to_owned())
                    .collect(),
                mapped: None,
                negated: hit.negated,
                confidence: hit.confidence,
            });
        }
        let mut by_skill: HashMap<u32, ExtractedSkill> = HashMap::new();
        for hit in extraction.hits.iter().filter(|h| !h.negated) {
            let Some(skill) = self.skills.get(hit.skill as usize) else {
                continue;
            };
            let entry = by_skill.entry(hit.skill).or_insert_with(|| ExtractedSkill {
                skill: Arc::clone(skill),
                mentions: 0,
                confidence: 0.0,
                signals: Vec::new(),
            });
            entry.mentions += 1;
            entry.confidence = entry.confidence.max(hit.confidence);
            let signal = hit.signal.as_str();
            if !entry.signals.contains(&signal) {
                entry.signals.push(signal);
            }
        }
        let mut skills: Vec<ExtractedSkill> = by_skill.into_values().collect();
        for skill in &mut skills {
            skill.signals.sort_by_key(|s| *s != Signal::Label.as_str());
        }
        skills.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.skill.label.cmp(&b.skill.label))
                .then(a.skill.id.0.cmp(&b.skill.id.0))
        });
        ExtractReport { skills, mentions }
    }
}

/// A skill's retrieval prior by its reuse level: real adverts name general skills
/// ("communication", "work in teams") far more often than occupation-specific ones. On the
/// labelled real advert sentences these raised RP@5 by 0.004 (TECH) and 0.033 (HOUSE).
fn reuse_prior(reuse: Option<rolemap_core::ReuseLevel>) -> f32 {
    use rolemap_core::ReuseLevel;
    match reuse {
        Some(ReuseLevel::Transversal) => 1.3,
        Some(ReuseLevel::CrossSector) => 1.15,
        Some(ReuseLevel::SectorSpecific) => 1.05,
        Some(ReuseLevel::OccupationSpecific) | None => 1.0,
    }
}

/// How much a requirement's description counts when a text is ranked against a role's
/// requirements alone, against 3 for its label: frameworks such as ODP's describe each skill in a
/// sentence ("Building relationships and communicating clearly with customers, colleagues and
/// partners") and give it no other labels.
const REQUIREMENT_DESCRIPTION_WEIGHT: f32 = 1.0;

/// The text's mentions of a role's requirements found by ranking each clause against those
/// skills alone, each known by its label and description: among a role's few skills one shared
/// word of its description ("communicates with partners") is evidence, where among all of a
/// taxonomy's it is not.
fn requirement_mentions(role: &Role, text: &str) -> Vec<SkillMention> {
    let mut builder = ExtractorBuilder::new();
    builder.description_weight(REQUIREMENT_DESCRIPTION_WEIGHT);
    let mut skills = Vec::with_capacity(role.requirements.len());
    for (number, requirement) in role.requirements.iter().enumerate() {
        let skill = &requirement.skill;
        builder.label(number as u32, &skill.label, LabelKind::Preferred);
        builder.description(number as u32, &skill.description);
        skills.push(Arc::new(SkillInfo {
            id: skill.id,
            framework: role.framework_key.clone(),
            key: skill.key.clone(),
            label: skill.label.clone(),
        }));
    }
    let Ok(extractor) = builder.build() else {
        return Vec::new();
    };
    let extractor = SkillExtractor { extractor, skills };
    let signals = Signals {
        keep_unlikely: true,
        ..Signals::ALL
    };
    extractor
        .extract_signals(&mut Scratch::default(), text, signals)
        .mentions
}

/// Extractors per framework key (`None`: every framework).
type Extractors = HashMap<Option<String>, Arc<SkillExtractor>>;

/// Extractors as last built, for one frameworks generation.
#[derive(Debug, Default)]
pub(crate) struct ExtractCache {
    current: std::sync::RwLock<Option<(i64, Extractors)>>,
    building: tokio::sync::Mutex<()>,
}

/// One requirement of a role and what a text says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextGapLine {
    pub skill: SkillId,
    pub key: String,
    pub label: String,
    pub importance: Importance,
    /// The mentions that evidence it (not negated); empty when the text does not.
    pub evidence: Vec<SkillMention>,
    /// Mentions inside a negation ("no budget responsibility").
    pub negated: Vec<SkillMention>,
}

/// A text (a CV, an advert) against a role: which requirements it evidences and which not.
#[derive(Debug, Clone, PartialEq)]
pub struct TextGap {
    pub role: Arc<Role>,
    /// The name of the text, e.g. its file.
    pub source: String,
    pub lines: Vec<TextGapLine>,
}

impl TextGap {
    /// (evidenced, all) over the essential requirements, then the optional ones.
    pub fn coverage(&self) -> ((usize, usize), (usize, usize)) {
        let count = |importance: Importance| {
            let lines = self.lines.iter().filter(|l| l.importance == importance);
            let all = lines.clone().count();
            (lines.filter(|l| !l.evidence.is_empty()).count(), all)
        };
        (count(Importance::Essential), count(Importance::Optional))
    }
}

impl Service {
    /// The skills a text mentions, from one framework's skills or every framework's.
    pub async fn extract(
        &self,
        text: &str,
        framework: Option<&str>,
        paraphrase: bool,
    ) -> Result<ExtractReport> {
        let extractor = self.skill_extractor(framework).await?;
        let text = text.to_owned();
        tokio::task::spawn_blocking(move || extractor.extract(&text, paraphrase))
            .await
            .map_err(|e| ServiceError::Internal(format!("extracting: {e}")))
    }

    /// The extractor over one framework's skills (`None`: every framework's), built once per
    /// frameworks generation; for bulk work on the caller's threads.
    pub async fn skill_extractor(&self, framework: Option<&str>) -> Result<Arc<SkillExtractor>> {
        if let Some(framework) = framework {
            self.check_framework(framework).await?;
        }
        let key = framework.map(str::to_owned);
        let generation = self.store.frameworks_generation().await?;
        if let Some(found) = self.current_extractor(generation, &key) {
            return Ok(found);
        }
        let _building = self.extract.building.lock().await;
        let generation = self.store.frameworks_generation().await?;
        if let Some(found) = self.current_extractor(generation, &key) {
            return Ok(found);
        }
        let texts: Vec<ConceptText> = self
            .store
            .concept_texts()
            .await?
            .into_iter()
            .filter(|t| {
                t.kind == ConceptKind::Skill && key.as_deref().is_none_or(|f| t.framework_key == f)
            })
            .collect();
        let built = tokio::task::spawn_blocking(move || SkillExtractor::build(&texts))
            .await
            .map_err(|e| ServiceError::Internal(format!("building the extractor: {e}")))??;
        let mut built = built;
        built.show_labels(&self.qualifiers().await?);
        let built = Arc::new(built);
        if let Ok(mut current) = self.extract.current.write() {
            match &mut *current {
                Some((built_for, map)) if *built_for == generation => {
                    map.insert(key, Arc::clone(&built));
                }
                _ => *current = Some((generation, HashMap::from([(key, Arc::clone(&built))]))),
            }
        }
        Ok(built)
    }

    fn current_extractor(
        &self,
        generation: i64,
        key: &Option<String>,
    ) -> Option<Arc<SkillExtractor>> {
        let current = self.extract.current.read().ok()?;
        match &*current {
            Some((built_for, map)) if *built_for == generation => map.get(key).cloned(),
            _ => None,
        }
    }

    /// Which of a role's requirements a text evidences, with the words, and which it does not.
    /// Skills are found among every framework's, then kept when the role requires them.
    pub async fn text_gap(&self, source: &str, text: &str, target: &str) -> Result<TextGap> {
        if text.trim().is_empty() {
            return Err(ServiceError::invalid("text", format!("{source} is empty")));
        }
        let role = self.role_shared(target, None).await?;
        // The role says which skills matter, so hits the text alone makes unlikely count too.
        let extractor = self.skill_extractor(None).await?;
        let owned = text.to_owned();
        let report = tokio::task::spawn_blocking(move || {
            let signals = Signals {
                keep_unlikely: true,
                ..Signals::ALL
            };
            extractor.extract_signals(&mut Scratch::default(), &owned, signals)
        })
        .await
        .map_err(|e| ServiceError::Internal(format!("extracting: {e}")))?;
        let own = requirement_mentions(&role, text);
        let mappings = self.store.mappings().await?;
        let lines = role
            .requirements
            .iter()
            .map(|requirement| {
                let id = requirement.skill.id;
                // The required skill, and those accepted mappings make the same.
                let mut partners: HashMap<rolemap_core::SkillId, rolemap_core::MappingKind> =
                    HashMap::new();
                for m in mappings.iter().filter(|m| m.kind.same_skill()) {
                    if let Some(other) = m.other_end(id) {
                        let kind = partners.entry(other).or_insert(m.kind);
                        *kind = (*kind).min(m.kind);
                    }
                }
                let mapped = |skill: rolemap_core::SkillId| -> Option<Option<&'static str>> {
                    if skill == id {
                        return Some(None);
                    }
                    partners.get(&skill).map(|kind| Some(kind.as_str()))
                };
                // Retrieval hits rank a text's likely skills; about one in nine is right on
                // real adverts, too few to tell a reader a requirement is evidenced.
                let (mut negated, mut evidence): (Vec<SkillMention>, Vec<SkillMention>) = report
                    .mentions
                    .iter()
                    .filter(|m| m.signal != Signal::Retrieval.as_str())
                    .filter_map(|m| {
                        mapped(m.skill.id).map(|via| SkillMention {
                            mapped: via,
                            ..m.clone()
                        })
                    })
                    .partition(|m| m.negated);
                // What the requirement's own texts find, where the mentions above do not already
                // cover those words.
                for m in own.iter().filter(|m| m.skill.id == id) {
                    let list = if m.negated {
                        &mut negated
                    } else {
                        &mut evidence
                    };
                    if !list.iter().any(|e| e.start < m.end && m.start < e.end) {
                        list.push(m.clone());
                    }
                }
                evidence.sort_by_key(|m| (m.start, m.end));
                negated.sort_by_key(|m| (m.start, m.end));
                TextGapLine {
                    skill: id,
                    key: requirement.skill.key.clone(),
                    label: requirement.skill.label.clone(),
                    importance: requirement.importance,
                    evidence,
                    negated,
                }
            })
            .collect();
        Ok(TextGap {
            role,
            source: source.to_owned(),
            lines,
        })
    }
}
