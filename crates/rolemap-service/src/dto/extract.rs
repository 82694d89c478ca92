//! The JSON shapes of the skills found in a text, and of a text held against a role.

use serde::Serialize;
use utoipa::ToSchema;

use super::{RoleSummaryDto, rounded};

/// A stored skill as extraction names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractSkillRefDto {
    pub id: i64,
    pub framework: String,
    pub key: String,
    pub label: String,
}

impl From<&crate::SkillInfo> for ExtractSkillRefDto {
    fn from(s: &crate::SkillInfo) -> ExtractSkillRefDto {
        ExtractSkillRefDto {
            id: s.id.0,
            framework: s.framework.clone(),
            key: s.key.clone(),
            label: s.label.clone(),
        }
    }
}

/// One mention of a skill in a text.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillMentionDto {
    pub skill: ExtractSkillRefDto,
    /// Character offsets into the text (end exclusive).
    pub start: usize,
    pub end: usize,
    /// The text at those offsets.
    pub text: String,
    /// The label matched, or for a paraphrase the label its words cover.
    pub matched: String,
    /// "preferred", "alternative" or "hidden".
    pub label_kind: &'static str,
    /// "label" (the label is in the text, up to stems), "phrase" (the label's words after its
    /// verb, or a noun label's words before its last, are in the text) or "paraphrase" (the
    /// words of a clause cover most of the label's words).
    pub signal: &'static str,
    /// For a paraphrase, the words that led to it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
    /// Inside a negation ("no budget responsibility"): reported, not counted.
    pub negated: bool,
    pub confidence: f32,
    /// In a text gap, "exact" or "close" when the mention is of another skill that an accepted
    /// mapping makes the required one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapped: Option<&'static str>,
}

impl From<&crate::SkillMention> for SkillMentionDto {
    fn from(m: &crate::SkillMention) -> SkillMentionDto {
        SkillMentionDto {
            skill: ExtractSkillRefDto::from(&*m.skill),
            start: m.start,
            end: m.end,
            text: m.text.clone(),
            matched: m.matched.clone(),
            label_kind: m.label_kind,
            signal: m.signal,
            words: m.words.clone(),
            negated: m.negated,
            confidence: rounded(m.confidence),
            mapped: m.mapped,
        }
    }
}

/// A skill the text evidences.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractedSkillDto {
    pub skill: ExtractSkillRefDto,
    /// Mentions not negated.
    pub mentions: usize,
    /// The highest confidence of its mentions.
    pub confidence: f32,
    /// The signals that found it.
    pub signals: Vec<&'static str>,
}

/// The skills a text mentions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractDto {
    /// Every skill the text evidences (negated mentions not counted), most confident first.
    pub skills: Vec<ExtractedSkillDto>,
    /// Every mention in text order, negated ones included.
    pub mentions: Vec<SkillMentionDto>,
}

impl From<&crate::ExtractReport> for ExtractDto {
    fn from(r: &crate::ExtractReport) -> ExtractDto {
        ExtractDto {
            skills: r
                .skills
                .iter()
                .map(|s| ExtractedSkillDto {
                    skill: ExtractSkillRefDto::from(&*s.skill),
                    mentions: s.mentions,
                    confidence: rounded(s.confidence),
                    signals: s.signals.clone(),
                })
                .collect(),
            mentions: r.mentions.iter().map(SkillMentionDto::from).collect(),
        }
    }
}

/// One requirement of a role and what a text says of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextGapLineDto {
    pub skill: i64,
    pub key: String,
    pub label: String,
    pub importance: &'static str,
    pub evidenced: bool,
    /// The mentions that evidence it.
    pub evidence: Vec<SkillMentionDto>,
    /// Mentions inside a negation, which do not count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub negated: Vec<SkillMentionDto>,
}

/// A text against a role: the requirements it evidences and those it does not.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextGapDto {
    pub role: RoleSummaryDto,
    pub source: String,
    /// Essential requirements evidenced, of all essential requirements.
    pub essential_evidenced: usize,
    pub essential: usize,
    pub optional_evidenced: usize,
    pub optional: usize,
    pub lines: Vec<TextGapLineDto>,
}

impl From<&crate::TextGap> for TextGapDto {
    fn from(g: &crate::TextGap) -> TextGapDto {
        let ((essential_evidenced, essential), (optional_evidenced, optional)) = g.coverage();
        TextGapDto {
            role: RoleSummaryDto::from(&g.role.summary_view()),
            source: g.source.clone(),
            essential_evidenced,
            essential,
            optional_evidenced,
            optional,
            lines: g
                .lines
                .iter()
                .map(|l| TextGapLineDto {
                    skill: l.skill.0,
                    key: l.key.clone(),
                    label: l.label.clone(),
                    importance: l.importance.as_str(),
                    evidenced: !l.evidence.is_empty(),
                    evidence: l.evidence.iter().map(SkillMentionDto::from).collect(),
                    negated: l.negated.iter().map(SkillMentionDto::from).collect(),
                })
                .collect(),
        }
    }
}

/// One line of `rolemap extract --jsonl` output: the document's id as given, and what it mentions.
#[derive(Debug, Serialize)]
pub struct ExtractLineDto<'a> {
    pub id: &'a serde_json::Value,
    #[serde(flatten)]
    pub extract: ExtractDto,
}
