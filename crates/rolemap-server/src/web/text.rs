//! The text page: an advert or CV pasted in, the skills found in it with their words marked in
//! the text, and its gap to a chosen role (`rolemap extract`, `rolemap gap --text`); and a job
//! title coded to the roles it most likely stands for (`rolemap code-title`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::Response;
use rolemap_service::dto::{ExtractDto, ExtractedSkillDto, SkillMentionDto, TextGapDto};
use rolemap_service::{ServiceError, TitleCode};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::multipart::{self, Field};
use crate::web::{PageQuery, PageResult, RolePicker, finish, given};

/// Job titles listed for a title: the best and the alternatives.
const TITLE_CODES: usize = 5;

/// The signal of the retrieval hits: a clause's likely skills, ranked by its words, about one in
/// nine right on real adverts; listed apart, never marked in the text as evidence.
const RETRIEVAL: &str = "retrieval";

#[derive(Debug, Deserialize)]
pub(crate) struct TitleQuery {
    title: Option<String>,
}

/// What the text form sends: the text pasted or a file uploaded (the file wins when both are
/// given), and the role to hold it against.
#[derive(Debug, Default)]
struct TextForm {
    text: String,
    role: Option<String>,
    /// The uploaded file: its name and bytes.
    file: Option<(String, Vec<u8>)>,
}

impl TextForm {
    fn from_fields(fields: Vec<Field>) -> TextForm {
        let mut form = TextForm::default();
        for field in fields {
            match (field.name.as_str(), field.file_name) {
                // A file input left empty still sends a part, with no name and no bytes.
                ("file", Some(name)) if !field.data.is_empty() => {
                    form.file = Some((name, field.data));
                }
                ("text", None) => form.text = String::from_utf8_lossy(&field.data).into_owned(),
                ("role", None) => {
                    form.role = Some(String::from_utf8_lossy(&field.data).into_owned())
                }
                _ => {}
            }
        }
        form
    }
}

/// A run of the text: as written, and the mentions over it (none: plain text).
#[derive(Debug, Serialize, PartialEq)]
struct Segment {
    text: String,
    /// What the words evidence, for the mark's tooltip: "label (confidence 0.95)".
    marks: Vec<String>,
    /// Every mention over it is negated ("no budget responsibility"): shown, not counted.
    negated: bool,
}

#[derive(Debug, Serialize)]
struct TitleCodeView {
    role_id: i64,
    title: String,
    framework: String,
    matched: String,
    field: &'static str,
    score: f32,
}

#[derive(Debug, Serialize)]
struct TextPage {
    roles: RolePicker,
    text: String,
    role: String,
    /// The text with its mentions marked; empty before a text is sent.
    segments: Vec<Segment>,
    /// Skills found by their labels, phrases or paraphrases, most confident first.
    found: Vec<ExtractedSkillDto>,
    /// Skills only the retrieval signal ranks: likely, not evidenced.
    likely: Vec<ExtractedSkillDto>,
    sent: bool,
    gap: Option<TextGapDto>,
    title: String,
    codes: Vec<TitleCodeView>,
    /// A title was asked for.
    coded: bool,
    text_error: Option<String>,
    role_error: Option<String>,
}

impl TextPage {
    async fn new(state: &AppState) -> Result<TextPage, ApiError> {
        Ok(TextPage {
            roles: RolePicker::new(state).await?,
            text: String::new(),
            role: String::new(),
            segments: Vec::new(),
            found: Vec::new(),
            likely: Vec::new(),
            sent: false,
            gap: None,
            title: String::new(),
            codes: Vec::new(),
            coded: false,
            text_error: None,
            role_error: None,
        })
    }
}

/// The page, with a job title coded when one is given.
pub(crate) async fn text_form(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<TitleQuery>,
) -> Response {
    let result = async {
        let mut page = TextPage::new(&state).await?;
        if let Some(title) = given(&q.title) {
            page.title = title.to_owned();
            page.coded = true;
            page.codes = state
                .service
                .code_title(title, None, TITLE_CODES)
                .await?
                .iter()
                .map(view_of)
                .collect();
        }
        Ok(state.templates.render("text.html", page))
    }
    .await;
    finish(&state, &uri, result)
}

/// A text pasted or uploaded (the form's body urlencoded, or multipart with a file): its
/// skills, marked in it, and its gap to the role chosen.
pub(crate) async fn text_submit(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let fields = match multipart::boundary(content_type) {
        Some(boundary) => multipart::fields(&body, boundary).ok_or_else(|| ApiError::Malformed {
            field: None,
            message: "the form's body is not well-formed multipart/form-data".to_owned(),
        }),
        None => Ok(multipart::urlencoded(&body)),
    };
    let result = match fields {
        Ok(fields) => text_post(&state, TextForm::from_fields(fields)).await,
        Err(e) => Err(e),
    };
    finish(&state, &uri, result)
}

async fn text_post(state: &AppState, form: TextForm) -> PageResult {
    let mut page = TextPage::new(state).await?;
    page.role = given(&form.role).unwrap_or_default().to_owned();
    let mut source = "the text".to_owned();
    page.text = match form.file {
        Some((name, bytes)) => match String::from_utf8(bytes) {
            Ok(text) => {
                source = name;
                text
            }
            Err(_) => {
                page.text = form.text;
                page.text_error = Some(format!(
                    "the file {name} is not plain text (UTF-8): save the advert or CV as a .txt \
                     file, or paste its text"
                ));
                return Ok(state.templates.render_status(
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    "text.html",
                    page,
                ));
            }
        },
        None => form.text,
    };
    if page.text.trim().is_empty() {
        page.text_error = Some("paste the text of an advert or a CV".to_owned());
        return Ok(state.templates.render_status(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "text.html",
            page,
        ));
    }
    let report = state.service.extract(&page.text, None, true).await?;
    let dto = ExtractDto::from(&report);
    page.segments = segments(&page.text, &dto.mentions);
    let (likely, found): (Vec<_>, Vec<_>) = dto
        .skills
        .into_iter()
        .partition(|s| s.signals.iter().all(|signal| *signal == RETRIEVAL));
    page.found = found;
    page.likely = likely;
    page.sent = true;
    if !page.role.is_empty() {
        match state
            .service
            .text_gap(&source, &page.text, &page.role)
            .await
        {
            Ok(gap) => {
                let gap = TextGapDto::from(&gap);
                page.role = page.roles.value_of(state, &gap.role).await;
                page.gap = Some(gap);
            }
            // A role name that fits nothing or several is said at the field, with the
            // skills still shown.
            Err(e @ (ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. })) => {
                page.role_error = Some(e.to_string());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(state.templates.render("text.html", page))
}

fn view_of(code: &TitleCode) -> TitleCodeView {
    TitleCodeView {
        role_id: code.role_id,
        title: code.title.clone(),
        framework: code.framework_name.clone(),
        matched: code.matched.clone(),
        field: code.field,
        score: (code.score * 100.0).round() / 100.0,
    }
}

/// The text cut where a mention (other than a retrieval hit) starts or ends, each run with the
/// mentions over it. Offsets are in characters, as the extractor gives them; mentions that
/// overlap mark their shared run with both.
fn segments(text: &str, mentions: &[SkillMentionDto]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let marked: Vec<&SkillMentionDto> = mentions
        .iter()
        .filter(|m| m.signal != RETRIEVAL && m.start < m.end && m.end <= chars.len())
        .collect();
    let mut cuts: Vec<usize> = vec![0, chars.len()];
    for m in &marked {
        cuts.push(m.start);
        cuts.push(m.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        let over: Vec<&&SkillMentionDto> = marked
            .iter()
            .filter(|m| m.start <= start && end <= m.end)
            .collect();
        let mut marks: Vec<String> = over
            .iter()
            .map(|m| {
                format!(
                    "{}{} (confidence {:.2}, {})",
                    if m.negated {
                        "not counted, negated: "
                    } else {
                        ""
                    },
                    m.skill.label,
                    m.confidence,
                    m.signal
                )
            })
            .collect();
        marks.dedup();
        let negated = !over.is_empty() && over.iter().all(|m| m.negated);
        let piece: String = chars[start..end].iter().collect();
        // Unmarked runs next to each other join (a mention that reaches past the text's end is
        // left unmarked, which can leave two).
        let joins = marks.is_empty() && out.last().is_some_and(|last| last.marks.is_empty());
        match out.last_mut() {
            Some(last) if joins => last.text.push_str(&piece),
            _ => out.push(Segment {
                text: piece,
                marks,
                negated,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rolemap_service::dto::ExtractSkillRefDto;

    fn mention(label: &str, start: usize, end: usize, signal: &'static str) -> SkillMentionDto {
        SkillMentionDto {
            skill: ExtractSkillRefDto {
                id: 1,
                framework: "f".to_owned(),
                key: label.to_owned(),
                label: label.to_owned(),
            },
            start,
            end,
            text: String::new(),
            matched: label.to_owned(),
            label_kind: "preferred",
            signal,
            words: Vec::new(),
            negated: false,
            confidence: 0.9,
            mapped: None,
        }
    }

    fn shown(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| {
                if s.marks.is_empty() {
                    s.text.clone()
                } else {
                    format!("[{}|{}]", s.text, s.marks.len())
                }
            })
            .collect()
    }

    #[test]
    fn mentions_are_cut_out_by_characters_and_overlaps_mark_both() {
        // "é" is two bytes: offsets are characters.
        let text = "Café project management skills";
        let found = segments(
            text,
            &[
                mention("project management", 5, 23, "label"),
                mention("management", 13, 23, "label"),
            ],
        );
        assert_eq!(
            shown(&found),
            "Café [project |1][management|2] skills",
            "{found:?}"
        );
        assert_eq!(
            found.iter().map(|s| s.text.as_str()).collect::<String>(),
            text
        );
    }

    #[test]
    fn retrieval_hits_and_spans_past_the_end_are_not_marked() {
        let text = "we value teamwork";
        let found = segments(
            text,
            &[
                mention("teamwork", 0, 17, RETRIEVAL),
                mention("x", 9, 40, "label"),
            ],
        );
        assert_eq!(shown(&found), text);
    }

    #[test]
    fn a_negated_mention_is_marked_as_not_counted() {
        let mut m = mention("budgeting", 3, 9, "label");
        m.negated = true;
        let found = segments("no budget", &[m]);
        assert!(found[1].negated);
        assert!(found[1].marks[0].starts_with("not counted"), "{found:?}");
    }
}
