//! What an O*NET release holds beyond the framework rolemap makes of it, kept beside the
//! framework (as [`KeptObject`]s of format [`FORMAT`]) so that the release can be written back
//! whole: the ratings that are not requirements (Not Relevant, Recommend Suppress, `n/a`) and the
//! order of every occupation's ratings, the two scales as `Scales Reference.txt` names them, the
//! order the skills were first rated in, and the short titles (which the framework merges into
//! the alternative titles). [`from_bundle`] rebuilds the release from the stored framework and
//! these objects; without them (a framework stored before they were kept) it rebuilds what the
//! framework holds, the ratings from the requirements' notes.

use serde::{Deserialize, Serialize};

use crate::kept::KeptObject;

use super::*;

/// The format name the kept objects are stored under.
pub const FORMAT: &str = "onet";

/// The object of the release as a whole.
const RELEASE_KIND: &str = "release";
/// One object per occupation that has ratings or titles the framework does not carry as read.
const OCCUPATION_KIND: &str = "occupation";

#[derive(Serialize, Deserialize)]
struct KeptRelease {
    /// Id, name, minimum, maximum.
    importance: (String, String, i32, i32),
    level: (String, String, i32, i32),
    /// The skills' ids in the order `Skills.txt` first rates them.
    skills: Vec<String>,
}

/// An occupation's ratings in file order, each (skill id, IM as written, IM flags, LV as
/// written, LV flags), flags `S` (Recommend Suppress) and `R` (Not Relevant); titles only where
/// the role's titles do not give them back (short titles, or a list holding a title twice).
#[derive(Serialize, Deserialize, Default)]
struct KeptOccupation {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ratings: Vec<(String, String, String, String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alternate: Option<Vec<String>>,
    /// Each with the index of its alternate title.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    short: Vec<(usize, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reported: Option<Vec<String>>,
    /// The task ids in file order, where that is not ascending (the store gives duties back
    /// by number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tasks: Option<Vec<u32>>,
}

fn flags(rating: &Rating) -> String {
    let mut flags = String::new();
    if rating.suppress {
        flags.push('S');
    }
    if rating.not_relevant {
        flags.push('R');
    }
    flags
}

fn rating(value: &str, flags: &str) -> Rating {
    Rating {
        value: value.to_owned(),
        number: number(value),
        suppress: flags.contains('S'),
        not_relevant: flags.contains('R'),
        line: 0,
    }
}

/// A rating as the reader takes it: `None` for empty or `n/a`.
fn number(value: &str) -> Option<f64> {
    let value = value.trim();
    if value.is_empty() || value.eq_ignore_ascii_case("n/a") {
        return None;
    }
    value.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn has_repeats(titles: &[String]) -> bool {
    titles
        .iter()
        .enumerate()
        .any(|(i, t)| titles[..i].contains(t))
}

fn scale(range: &ScaleRange) -> (String, String, i32, i32) {
    (range.id.clone(), range.name.clone(), range.min, range.max)
}

/// The objects to keep beside the framework [`to_bundle`] makes of `data`.
pub fn kept_objects(data: &OnetData) -> Vec<KeptObject> {
    let release = KeptRelease {
        importance: scale(&data.importance_scale),
        level: scale(&data.level_scale),
        skills: data.skills.iter().map(|s| s.id.clone()).collect(),
    };
    let mut objects = vec![KeptObject {
        kind: RELEASE_KIND.to_owned(),
        identifier: data.release.clone(),
        json: serde_json::to_string(&release).unwrap_or_default(),
    }];
    for occupation in &data.occupations {
        let kept = KeptOccupation {
            ratings: occupation
                .ratings
                .iter()
                .map(|r| {
                    (
                        data.skills
                            .get(r.skill)
                            .map_or_else(String::new, |s| s.id.clone()),
                        r.importance.value.clone(),
                        flags(&r.importance),
                        r.level.value.clone(),
                        flags(&r.level),
                    )
                })
                .collect(),
            alternate: (has_repeats(&occupation.alternate_titles)
                || occupation
                    .alternate_titles
                    .iter()
                    .any(|t| occupation.short_titles.iter().any(|(_, s)| s == t)))
            .then(|| occupation.alternate_titles.clone()),
            short: occupation.short_titles.clone(),
            reported: has_repeats(&occupation.reported_titles)
                .then(|| occupation.reported_titles.clone()),
            tasks: (!occupation.tasks.is_sorted_by_key(|t| t.id))
                .then(|| occupation.tasks.iter().map(|t| t.id).collect()),
        };
        if kept.ratings.is_empty()
            && kept.alternate.is_none()
            && kept.short.is_empty()
            && kept.reported.is_none()
            && kept.tasks.is_none()
        {
            continue;
        }
        objects.push(KeptObject {
            kind: OCCUPATION_KIND.to_owned(),
            identifier: occupation.code.clone(),
            json: serde_json::to_string(&kept).unwrap_or_default(),
        });
    }
    objects
}

/// `IM 4.12 of 1-5, LV 4.75 of 0-7` as [`to_bundle`] writes a requirement's note: the two
/// values as written, with each scale's id and range.
fn note_values(note: &str) -> Option<[(String, String, i32, i32); 2]> {
    let mut parts = note.split(", ");
    let mut one = || -> Option<(String, String, i32, i32)> {
        let mut words = parts.next()?.split(' ');
        let (id, value, of, range) = (words.next()?, words.next()?, words.next()?, words.next()?);
        let (min, max) = range.split_once('-')?;
        (of == "of").then_some(())?;
        Some((
            id.to_owned(),
            value.to_owned(),
            min.parse().ok()?,
            max.parse().ok()?,
        ))
    };
    Some([one()?, one()?])
}

/// `Primary-Short #1` as [`to_bundle`] writes a link's note: the tier and the index.
fn link_note(note: &str) -> (String, u32) {
    match note.rsplit_once('#') {
        Some((tier, index)) if index.parse::<u32>().is_ok() => {
            (tier.trim().to_owned(), index.parse().unwrap_or_default())
        }
        _ => (note.trim().to_owned(), 0),
    }
}

/// The release a stored O*NET framework came from: `bundle` as [`to_bundle`] made it, with the
/// objects [`kept_objects`] made (`None` where none were kept: then ratings that were not
/// requirements and short titles are not there to write). An error says which object does not
/// read.
pub fn from_bundle(
    bundle: &FrameworkBundle,
    kept: Option<&[KeptObject]>,
) -> Result<OnetData, String> {
    let mut release: Option<KeptRelease> = None;
    let mut occupations: HashMap<&str, KeptOccupation> = HashMap::new();
    for object in kept.unwrap_or_default() {
        let unreadable = |e: serde_json::Error| {
            format!(
                "the kept O*NET {} '{}' does not read: {e}",
                object.kind, object.identifier
            )
        };
        match object.kind.as_str() {
            RELEASE_KIND => release = Some(serde_json::from_str(&object.json).map_err(unreadable)?),
            OCCUPATION_KIND => {
                occupations.insert(
                    &object.identifier,
                    serde_json::from_str(&object.json).map_err(unreadable)?,
                );
            }
            _ => {}
        }
    }
    let first_note = bundle
        .roles
        .iter()
        .flat_map(|r| &r.requirements)
        .find_map(|r| note_values(&r.note));
    let level_name = |name: &str| name.strip_prefix("O*NET ").unwrap_or(name).to_owned();
    let stored_scale = bundle.scales.iter().find(|s| s.key() == LEVEL_SCALE_KEY);
    let (importance_scale, level_scale) = match &release {
        Some(r) => {
            let range = |(id, name, min, max): &(String, String, i32, i32)| ScaleRange {
                id: id.clone(),
                name: name.clone(),
                min: *min,
                max: *max,
            };
            (range(&r.importance), range(&r.level))
        }
        None => {
            let [(im_id, _, im_min, im_max), (lv_id, _, lv_min, lv_max)] =
                first_note.clone().unwrap_or([
                    ("IM".to_owned(), String::new(), 1, 5),
                    ("LV".to_owned(), String::new(), 0, 7),
                ]);
            (
                ScaleRange {
                    id: im_id,
                    name: "Importance".to_owned(),
                    min: im_min,
                    max: im_max,
                },
                ScaleRange {
                    id: lv_id,
                    name: stored_scale.map_or_else(|| "Level".to_owned(), |s| level_name(s.name())),
                    min: lv_min,
                    max: lv_max,
                },
            )
        }
    };
    let mut skills: Vec<SkillElement> = Vec::new();
    let skill_element = |s: &SkillDef| SkillElement {
        id: s.key.clone(),
        name: s.label.clone(),
        description: s.description.clone(),
        group: s.tags.first().cloned().unwrap_or_default(),
    };
    match &release {
        Some(r) => {
            for id in &r.skills {
                let skill = bundle.skills.iter().find(|s| &s.key == id).ok_or_else(|| {
                    format!("the kept O*NET release names skill '{id}', which is not stored")
                })?;
                skills.push(skill_element(skill));
            }
        }
        None => skills.extend(bundle.skills.iter().map(skill_element)),
    }
    let skill_index: HashMap<&str, usize> = skills
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let index_of = |id: &str, code: &str| {
        skill_index.get(id).copied().ok_or_else(|| {
            format!("occupation '{code}' is rated on skill '{id}', which is not stored")
        })
    };
    let mut out = Vec::with_capacity(bundle.roles.len());
    for role in &bundle.roles {
        let kept = occupations.remove(role.key.as_str()).unwrap_or_default();
        let ratings = if release.is_some() {
            kept.ratings
                .iter()
                .map(|(skill, im, im_flags, lv, lv_flags)| {
                    Ok(SkillRating {
                        skill: index_of(skill, &role.key)?,
                        importance: rating(im, im_flags),
                        level: rating(lv, lv_flags),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?
        } else {
            role.requirements
                .iter()
                .filter_map(|r| Some((r, note_values(&r.note)?)))
                .map(|(r, [(_, im, ..), (_, lv, ..)])| {
                    Ok(SkillRating {
                        skill: index_of(&r.skill, &role.key)?,
                        importance: rating(&im, ""),
                        level: rating(&lv, ""),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?
        };
        // The role's alternative titles are the alternate titles, then the short ones, each
        // once; where an alternate title is also a short one, or repeats, they were kept.
        let alternate_titles = match kept.alternate {
            Some(titles) => titles,
            None => role
                .alt_titles
                .iter()
                .filter(|t| !kept.short.iter().any(|(_, s)| s == *t))
                .cloned()
                .collect(),
        };
        out.push(Occupation {
            code: role.key.clone(),
            title: role.title.clone(),
            description: role.description.clone(),
            job_zone: role.level,
            tasks: in_order(&role.duties, kept.tasks.as_deref())
                .map(|d| Task {
                    id: d.number,
                    text: d.text.clone(),
                    kind: match d.category.as_str() {
                        "core" => TaskKind::Core,
                        "supplemental" => TaskKind::Supplemental,
                        _ => TaskKind::NotGiven,
                    },
                })
                .collect(),
            alternate_titles,
            short_titles: kept.short,
            reported_titles: kept.reported.unwrap_or_else(|| role.typical_titles.clone()),
            ratings,
        });
    }
    let related = bundle
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Related)
        .map(|l| {
            let (tier, index) = link_note(&l.note);
            Related {
                from: l.from.key.clone(),
                to: l.to.key.clone(),
                tier,
                index,
                line: 0,
            }
        })
        .collect();
    Ok(OnetData {
        release: bundle.framework.version.clone(),
        occupations: out,
        skills,
        importance_scale,
        level_scale,
        related,
        files: Vec::new(),
    })
}

/// The duties in the order the release gave their tasks (`order`, task ids), those it does not
/// name after them; in the order stored without it.
fn in_order<'a>(duties: &'a [Duty], order: Option<&[u32]>) -> impl Iterator<Item = &'a Duty> {
    let mut ordered: Vec<&Duty> = duties.iter().collect();
    if let Some(order) = order {
        let rank: HashMap<u32, usize> = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        ordered.sort_by_key(|d| rank.get(&d.number).copied().unwrap_or(usize::MAX));
    }
    ordered.into_iter()
}
