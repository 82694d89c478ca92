//! The JSON shapes of what ESCO holds about its occupations and skills beyond the role or skill
//! itself.

use serde::Serialize;
use utoipa::ToSchema;

/// One of ESCO's concepts as another refers to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EscoLinkDto {
    pub uri: String,
    /// "occupation", "skill", "isco-group" or "skill-group" (empty when ESCO never defined it).
    pub kind: String,
    pub code: String,
    pub label: String,
    /// The role this occupation is stored as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<i64>,
    /// The skill this skill is stored as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill_id: Option<i64>,
}

impl From<&rolemap_store::EscoLink> for EscoLinkDto {
    fn from(l: &rolemap_store::EscoLink) -> EscoLinkDto {
        EscoLinkDto {
            uri: l.uri.clone(),
            kind: l.kind.clone(),
            code: l.code.clone(),
            label: l.label.clone(),
            role_id: l.role.map(|r| r.0),
            skill_id: l.skill.map(|s| s.0),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EscoRelatedDto {
    pub skill: EscoLinkDto,
    /// "essential" or "optional", as ESCO states it.
    pub importance: String,
    /// "out" when ESCO states the relation from this skill, "in" when from the other.
    pub direction: &'static str,
}

/// What ESCO holds about one of its occupations or skills beyond the role or skill itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct EscoDto {
    pub uri: String,
    pub code: String,
    pub status: String,
    pub definition: String,
    pub scope_note: String,
    /// Skills: "skill/competence" or "knowledge".
    pub skill_type: String,
    /// Occupations: the regulated profession note.
    pub regulated: String,
    pub modified: String,
    pub hidden_labels: Vec<String>,
    /// The concepts directly above this one.
    pub broader: Vec<EscoLinkDto>,
    /// From the top of the hierarchy down to the first broader concept (for an occupation, its
    /// ISCO path).
    pub path: Vec<EscoLinkDto>,
    /// Skills: the skills ESCO relates to this one.
    pub related: Vec<EscoRelatedDto>,
}

impl From<&rolemap_store::EscoDetail> for EscoDto {
    fn from(d: &rolemap_store::EscoDetail) -> EscoDto {
        EscoDto {
            uri: d.uri.clone(),
            code: d.code.clone(),
            status: d.status.clone(),
            definition: d.definition.clone(),
            scope_note: d.scope_note.clone(),
            skill_type: d.skill_type.clone(),
            regulated: d.regulated.clone(),
            modified: d.modified.clone(),
            hidden_labels: d.hidden_labels.clone(),
            broader: d.broader.iter().map(EscoLinkDto::from).collect(),
            path: d.path.iter().map(EscoLinkDto::from).collect(),
            related: d
                .related
                .iter()
                .map(|r| EscoRelatedDto {
                    skill: EscoLinkDto::from(&r.skill),
                    importance: r.importance.clone(),
                    direction: if r.inbound { "in" } else { "out" },
                })
                .collect(),
        }
    }
}
